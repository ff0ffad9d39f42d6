// The watchdog thread (src/run-watchdog.ts) against a main thread that spins for ever (test/faults/inject/): the
// process still ends by deadline + 1 s with a level, its line and a log line, never a trace.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { STACK_TRACE } from './harness.js';
import { REPO, runCli } from '../helpers/cli.js';
import { freePort, startSilentListener } from '../helpers/silent-listener.js';

const SPIN = `--import=${pathToFileURL(join(REPO, 'test', 'faults', 'inject', 'spin-on-connect.mjs')).href}`;
const DEADLINE_MS = 4000;

async function spinningRun(t: { after(fn: () => unknown): void }, spinPort: number, lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'nhc-watchdog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      `deadline: ${DEADLINE_MS}ms`,
      ...lines,
      '',
    ].join('\n'),
  );
  const started = performance.now();
  const run = await runCli(['run', '--format', 'nagios', '--config', config], {
    env: { NODE_OPTIONS: SPIN, FAULT_PORT: String(spinPort) },
  });
  return { ...run, wallMs: performance.now() - started, log: readFileSync(join(dir, 'health.log'), 'utf8') };
}

// http checks: their sockets live on the main thread (the datastore and tcp clients run in a worker of their own).
test('a check that spins the main thread: UNKNOWN by deadline + 1 s, from the watchdog', async (t) => {
  const peer = await startSilentListener();
  t.after(() => peer.close());
  const run = await spinningRun(t, peer.port, [
    'checks:',
    '  - { name: root-disk, type: disk, path: / }',
    `  - { name: target, type: http, url: "http://127.0.0.1:${peer.port}/" }`,
  ]);
  assert.ok(run.wallMs < DEADLINE_MS + 1000, `ended after ${Math.round(run.wallMs)} ms`);
  assert.equal(run.code, 3);
  assert.equal(run.stdout, 'UNKNOWN - the run did not finish by its deadline (4s); stopped by its watchdog\n');
  assert.equal(
    run.stderr,
    'neuronova-health-check: internal error: the run did not finish by its deadline (4s); stopped by its watchdog\n',
  );
  assert.match(
    run.log,
    /ERROR: Health check stopped by its watchdog: not finished by the deadline \(4s\); no result recorded\n$/,
  );
});

test("an after-run step that spins: the checks' level and line still come out, from the watchdog", async (t) => {
  const heartbeat = await startSilentListener();
  t.after(() => heartbeat.close());
  const refused = await freePort();
  const run = await spinningRun(t, heartbeat.port, [
    'checks:',
    `  - { name: target, type: tcp, host: 127.0.0.1, port: ${refused} }`,
    `outputs: { heartbeat: "http://127.0.0.1:${heartbeat.port}/ping/uuid" }`,
  ]);
  assert.ok(run.wallMs < DEADLINE_MS + 1000, `ended after ${Math.round(run.wallMs)} ms`);
  assert.equal(run.code, 2, 'CRITICAL, as the checks decided');
  assert.match(run.stdout, /^CRITICAL - 1 of 1 checks failing: target/);
  assert.doesNotMatch(run.stdout + run.stderr, STACK_TRACE);
  assert.match(run.log, /ERROR: target: cannot connect/);
  assert.match(
    run.log,
    /ERROR: Health check stopped by its watchdog: CRITICAL, but the after-run steps did not finish by the deadline \(4s\)\n$/,
  );
});
