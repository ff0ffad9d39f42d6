// What the built binary prints, to the character: GiB for 2^30 bytes, perfdata without float noise, a log pattern
// as written in Nagios text, a repeated disk path refused, a PostgreSQL refusal in plain words, and an http
// failure email that names the URL (masked).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { describePgError } from '../../src/checks/postgres.js';
import { localStamp } from '../../src/util/time.js';
import { mailBody, startSmtp, startTarget, tempDir } from '../alerts/helpers.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

before(() => ensureBuilt());

function writeConfig(dir: string, lines: string[]): string {
  const path = join(dir, 'health.yml');
  writeFileSync(
    path,
    [`log_file: ${join(dir, 'health.log')}`, `state_dir: ${join(dir, 'state')}`, 'timeout: 5s', ...lines, ''].join(
      '\n',
    ),
  );
  return path;
}

test('disk and memory sizes say GiB (2^30 bytes) in the table and the log; the JSON keys stay *_gb', async (t) => {
  const dir = tempDir(t);
  const config = writeConfig(dir, [
    'checks:',
    '  - { name: disk, type: disk, path: / }',
    '  - { name: memory, type: memory }',
  ]);
  const table = await runCli(['--no-alert', '--config', config]);
  assert.match(table.stdout, /disk +[\d.]+% used on \/ \([\d.]+ GiB free(, inodes [\d.]+% used)?\)/);
  assert.match(table.stdout, /memory +[\d.]+% used \([\d.]+ GiB available of [\d.]+ GiB\)/);
  assert.doesNotMatch(table.stdout, /\bGB\b/);
  const json = JSON.parse((await runCli(['--json', '--no-alert', '--config', config])).stdout);
  assert.equal(typeof json.services.disk.free_gb, 'number');
  assert.equal(typeof json.services.memory.total_gb, 'number');
});

test('Nagios text: perfdata numbers without float noise, a log pattern shown as written', async (t) => {
  const dir = tempDir(t);
  const target = await startTarget(t);
  const log = join(dir, 'app.log');
  writeFileSync(log, `[${localStamp(new Date())}] FATAL: worker died\n`);
  const config = writeConfig(dir, [
    'checks:',
    `  - { name: api, type: http, url: "${target.base}/health" }`,
    `  - { name: applog, type: log, path: ${log}, pattern: "ERROR|FATAL", window: 10m, warning: 1 }`,
  ]);
  const run = await runCli(['--format', 'nagios', '--no-alert', '--config', config]);
  assert.equal(run.code, 1, run.stderr);
  const [first, ...rest] = run.stdout.trimEnd().split('\n');
  // response times are measured to 0.1 ms: in seconds, at most five decimals (never 0.006900000000000001)
  assert.match(first!, / \| 'api_time'=\d+(\.\d{1,5})?s;;;0 'applog_matches'=1;0;;0$/);
  // `|` would start the perfdata: it is shown as ¦, so the pattern still reads as written
  assert.deepEqual(rest, ['WARNING: applog: 1 line matching /ERROR¦FATAL/ in the last 10m (warning at 1)']);
});

test('a disk path listed twice is a config error naming both places, not a duplicate Prometheus series', async (t) => {
  const dir = tempDir(t);
  const config = writeConfig(dir, ['checks:', '  - { name: disk, type: disk, paths: [/, /tmp, /tmp/] }']);
  const check = await runCli(['config', 'check', '--config', config]);
  assert.equal(check.code, 3);
  assert.equal(
    check.stderr,
    `neuronova-health-check: ${config}: checks[0].paths[2]: "/tmp/" is already paths[1]; list each path once\n`,
  );
  assert.equal(check.stdout, '');
});

test('PostgreSQL shutting down (57P03) is "not accepting connections", without a misleading "yet"', () => {
  const url = new URL('postgres://app@127.0.0.1:5432/app');
  const shuttingDown = Object.assign(new Error('the database system is shutting down'), { code: '57P03' });
  assert.equal(
    describePgError(shuttingDown, 'prefer', url),
    'the server is not accepting connections: the database system is shutting down',
  );
});

test('the email for a failing http check names its URL, with the password masked', async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t);
  const target = await startTarget(t);
  target.status.set('/health', 503);
  const url = target.base.replace('http://', 'http://monitor:S3cret-Pw@') + '/health';
  const config = writeConfig(dir, [
    'checks:',
    `  - { name: api, type: http, url: "${url}" }`,
    `alerts: { email: { to: [ops@example.com], smtp: "smtp://127.0.0.1:${smtp.port}" } }`,
  ]);
  const run = await runCli(['--quiet', '--config', config]);
  assert.equal(run.code, 2, run.stderr);
  assert.equal(smtp.mails.length, 1);
  const body = mailBody(smtp.mails[0]!.raw);
  const masked = target.base.replace('http://', 'http://monitor:***@') + '/health';
  assert.match(
    body,
    new RegExp(`^api — CRITICAL: HTTP 503 Service Unavailable\\n {2}url: ${masked.replace(/[.*?]/g, '\\$&')}\\n`, 'm'),
  );
  assert.ok(!smtp.mails[0]!.raw.includes('S3cret-Pw'), 'the password is never in the mail');
});
