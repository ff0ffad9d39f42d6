// End to end: the built binary against a mixed host (healthy, 5xx, keyword hit, closed port, a resource above its
// warning line, a hung endpoint with a 2 s timeout, systemd units via a fake systemctl): the §6 JSON and the §5 log.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli, type CliResult } from '../helpers/cli.js';
import { startMixedHost, type MixedHost } from '../helpers/mixed-host.js';

const LINE = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\] (INFO|SUCCESS|WARNING|ERROR): (.+)$/;

describe('a run against a mixed host', { timeout: 60_000 }, () => {
  let host: MixedHost;
  let run: CliResult;
  let report: any;
  let log: string;
  const startedAt = Date.now();

  before(async () => {
    await ensureBuilt();
    host = await startMixedHost();
    const c = host.checks;
    const config = host.config(
      'mixed',
      c.systemdActive +
        c.systemdFailed +
        c.healthy +
        c.serverError +
        c.keywordHit +
        c.closedPort +
        c.aboveWarning +
        c.hung2s +
        c.withSecret,
    );
    run = await runCli(['--config', config, '--json'], { env: host.env() });
    report = JSON.parse(run.stdout);
    log = readFileSync(host.logFile('mixed'), 'utf8');
  });
  after(async () => {
    await host?.close();
  });

  test('exits 2 (CRITICAL) with nothing on stderr', () => {
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, '');
  });

  test('--json prints only the §6 object, with its top-level fields', () => {
    assert.equal(run.stdout.trim()[0], '{');
    assert.deepEqual(Object.keys(report).sort(), [
      'duration_ms',
      'host',
      'level',
      'services',
      'status',
      'summary',
      'time',
      'timestamp',
    ]);
    assert.equal(report.status, 'unhealthy');
    assert.equal(report.level, 'CRITICAL');
    assert.ok(Number.isInteger(report.timestamp));
    assert.ok(Math.abs(report.timestamp * 1000 - startedAt) < 60_000);
    assert.match(report.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(
      Math.floor(new Date(report.time).getTime() / 1000),
      report.timestamp,
      'time and timestamp are the same moment',
    );
    assert.equal(report.host, hostname());
    assert.equal(typeof report.duration_ms, 'number');
    assert.deepEqual(report.summary, { ok: 3, warning: 1, critical: 5, unknown: 0 });
  });

  test('every check has its level, status word and message; http checks their status and response time', () => {
    const want: Record<string, [string, string, string]> = {
      nginx: ['systemd', 'OK', 'healthy'],
      django: ['systemd', 'CRITICAL', 'unhealthy'],
      'django-api': ['http', 'OK', 'healthy'],
      'flask-api': ['http', 'CRITICAL', 'unhealthy'],
      homepage: ['http', 'CRITICAL', 'unhealthy'],
      'postgres-port': ['tcp', 'CRITICAL', 'unhealthy'],
      memory: ['memory', 'WARNING', 'degraded'],
      'hung-api': ['http', 'CRITICAL', 'unhealthy'],
      private: ['http', 'OK', 'healthy'],
    };
    assert.deepEqual(Object.keys(report.services), Object.keys(want), 'in config order');
    for (const [name, [type, level, status]] of Object.entries(want)) {
      const entry = report.services[name];
      assert.deepEqual([entry.type, entry.level, entry.status], [type, level, status], name);
      assert.equal(typeof entry.message, 'string', name);
    }
    const s = report.services;
    assert.equal(s.nginx.message, 'active (running)');
    assert.equal(s.django.message, 'failed (failed) result exit-code');
    assert.equal(s['flask-api'].message, 'HTTP 502 Bad Gateway');
    assert.equal(s['flask-api'].http_status, 502);
    assert.equal(typeof s['flask-api'].response_time_ms, 'number');
    assert.equal(s.homepage.message, 'HTTP 200 OK, body contains "error"');
    assert.match(s['postgres-port'].message, /connection refused$/);
    assert.equal(s['hung-api'].message, 'no answer within 2s (timeout)');
    assert.equal(typeof s.memory.usage_percent, 'number');
  });

  test('the hung endpoint is cut at its 2 s timeout instead of holding the run', () => {
    // a guard against the run waiting for the hung server (which never answers), not a speed figure
    assert.ok(report.duration_ms < 10_000, `the run took ${report.duration_ms} ms`);
  });

  test('every log line has the §5 shape, from the separator to the finish line', () => {
    const lines = log.trimEnd().split('\n');
    for (const line of lines) assert.match(line, LINE);
    const texts = lines.map((line) => LINE.exec(line)!.slice(7).join(': '));
    assert.equal(texts[0], 'INFO: ========================================');
    assert.equal(texts[1], `INFO: Health check started (9 checks, host ${hostname()})`);
    assert.match(texts.at(-1)!, /^INFO: Health check finished: CRITICAL \(5 critical, 1 warning, 3 ok\) in \d+ ms$/);
    // one line per check, in config order, right after the start; what follows them (alerts, history) is INFO
    const checkLines = texts.slice(2, 11);
    for (const text of texts.slice(11)) assert.match(text, /^INFO: /);
    assert.deepEqual(
      checkLines.map((text) => text.split(':').slice(0, 2).join(':')),
      [
        'SUCCESS: nginx',
        'ERROR: django',
        'SUCCESS: django-api',
        'ERROR: flask-api',
        'ERROR: homepage',
        'ERROR: postgres-port',
        'WARNING: memory',
        'ERROR: hung-api',
        'SUCCESS: private',
      ],
    );
    assert.match(log, /\] SUCCESS: nginx: active \(running\) since 2026-11-21 23:15:50\n/);
    assert.match(
      log,
      /\] ERROR: flask-api: HTTP 502 Bad Gateway from http:\/\/127\.0\.0\.1:\d+\/bad \(\d+(\.\d)? ms\)\n/,
    );
    assert.match(log, /\] WARNING: memory: [\d.]+% used \(≥ \d+%; [\d.]+ GiB available of [\d.]+ GiB\)\n/);
    assert.match(log, /\] ERROR: hung-api: no answer within 2s \(timeout\)\n/);
  });

  test('timestamps are local time, the moment of the run', () => {
    const [, y, mo, d, h, mi, s] = LINE.exec(log.split('\n')[0]!)!;
    const stamp = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
    assert.ok(Math.abs(stamp - startedAt) < 60_000, 'the local-time stamp is within a minute of the run');
  });

  test('`grep ERROR` finds every failing check, and nothing else', () => {
    const failing = Object.entries(report.services)
      .filter(([, entry]: [string, any]) => entry.level === 'CRITICAL' || entry.level === 'UNKNOWN')
      .map(([name]) => name);
    const grepped = log.split('\n').filter((line) => line.includes('ERROR'));
    assert.deepEqual(
      grepped.map((line) => LINE.exec(line)![8]!.split(':')[0]),
      failing,
    );
  });

  test('the log directory was created and the file is 0644; the lock is gone, the state saved', () => {
    assert.equal(statSync(host.logFile('mixed')).mode & 0o777, 0o644);
    assert.ok(!existsSync(`${host.stateDir('mixed')}/run.lock`));
    assert.ok(existsSync(`${host.stateDir('mixed')}/state.json`));
  });
});
