// Exceptions nobody caught, injected into the built binary at start-up (test/faults/inject/): one from a check's
// socket callback fails that check only; one from nowhere is an internal error: one line, exit 3, log and lock seen to.
// And SIGTERM while a large config is being validated ends the process at once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BIN, baseEnv, REPO, runCli } from '../helpers/cli.js';
import { STACK_TRACE } from './harness.js';
import { startSilentListener } from '../helpers/silent-listener.js';

const INJECT = join(REPO, 'test', 'faults', 'inject');

function world(t: { after(fn: () => void): void }, checks: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'nhc-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'deadline: 4s',
      'checks:',
      '  - { name: root-disk, type: disk, path: /, warning: 99, critical: 100 }',
      ...checks.map((c) => `  - ${c}`),
      '',
    ].join('\n'),
  );
  return { dir, config, log: () => readFileSync(join(dir, 'health.log'), 'utf8') };
}

const preload = (file: string) => `--import=${pathToFileURL(join(INJECT, file)).href}`;

test("an exception thrown from a check's socket callback fails that check only (UNKNOWN, one line)", async (t) => {
  const peer = await startSilentListener();
  t.after(() => peer.close());
  // http: its socket lives on the main thread (the datastore and tcp clients run in a worker of their own).
  const w = world(t, [`{ name: target, type: http, url: "http://127.0.0.1:${peer.port}/" }`]);
  const run = await runCli(['run', '--format', 'nagios', '--config', w.config], {
    env: { NODE_OPTIONS: preload('throw-on-connect.mjs'), FAULT_PORT: String(peer.port) },
  });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stdout.split('\n')[0]!, /^UNKNOWN - 1 of 2 checks failing: target \|/);
  assert.match(run.stdout, /^UNKNOWN: target: check failed: parser exploded on a message it did not expect$/m);
  assert.doesNotMatch(run.stdout + run.stderr, STACK_TRACE);
  assert.match(w.log(), /SUCCESS: root-disk: /);
  assert.match(w.log(), /Health check finished: UNKNOWN/);
});

for (const kind of ['throw', 'reject'] as const) {
  test(`an uncaught ${kind === 'throw' ? 'exception' : 'rejection'} outside any check is an internal error: one line, exit 3, log and lock closed`, async (t) => {
    const peer = await startSilentListener();
    t.after(() => peer.close());
    // The target keeps the run busy (it never answers) while the fault fires.
    const w = world(t, [`{ name: target, type: http, url: "http://127.0.0.1:${peer.port}/", timeout: 3s }`]);
    const run = await runCli(['run', '--format', 'nagios', '--config', w.config], {
      env: { NODE_OPTIONS: preload('throw-later.mjs'), FAULT_KIND: kind, FAULT_PORT: String(peer.port) },
    });
    assert.equal(run.code, 3);
    assert.equal(run.stdout, 'UNKNOWN - internal error: a library callback failed\n');
    assert.equal(
      run.stderr,
      'neuronova-health-check: internal error: a library callback failed (set NEURONOVA_DEBUG=1 for details)\n',
    );
    assert.match(w.log(), /ERROR: Health check stopped by an internal error: a library callback failed\n$/);
    assert.equal(existsSync(join(w.dir, 'state', 'run.lock')), false, 'the lock is released');
  });
}

test('SIGTERM while a large config is being validated ends the process at once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nhc-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yml');
  const lines = [`log_file: ${join(dir, 'health.log')}`, `state_dir: ${join(dir, 'state')}`, 'checks:'];
  // Thousands of checks take a second or more to validate; all disabled, so a run that got through would be quick.
  for (let i = 0; i < 4000; i++)
    lines.push(`  - { name: c${i}, type: tcp, host: 127.0.0.1, port: ${1024 + i}, enabled: false }`);
  writeFileSync(config, lines.join('\n') + '\n');
  const child = spawn(process.execPath, [BIN, 'run', '--format', 'nagios', '--config', config], {
    env: baseEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  await new Promise((resolve) => setTimeout(resolve, 250));
  const sent = performance.now();
  child.kill('SIGTERM');
  const end = await exited;
  assert.equal(end.signal, 'SIGTERM', `it finished validating instead (exit ${end.code}, ${stdout.trim()})`);
  assert.ok(end.at - sent < 1000, `ended ${Math.round(end.at - sent)} ms after SIGTERM`);
  assert.equal(existsSync(join(dir, 'health.log')), false, 'no run started');
});
