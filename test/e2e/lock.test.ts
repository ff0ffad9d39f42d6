// End to end: the run lock with the built binary — two runs at once (the second exits 3 and says why) and a run
// killed with SIGKILL mid-way, whose leftover lock the next run recognises as stale and takes over.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { startMixedHost, type MixedHost } from '../helpers/mixed-host.js';

let host: MixedHost;
before(async () => {
  await ensureBuilt();
  host = await startMixedHost();
});
after(async () => {
  await host?.close();
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A command check that waits until the test creates the gate file. */
const gate = (name: string) => join(host.dir, `${name}.gate`);
const gateCheck = (name: string) =>
  `  - { name: gate, type: command, command: [/bin/sh, -c, "while [ ! -e '${gate(name)}' ]; do sleep 0.05; done; echo gate open"], timeout: 25s }\n`;

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('run lock', { timeout: 30_000 }, () => {
  test('a second run while one holds the lock exits 3 and says another run holds it', async () => {
    // the first run holds the lock until the test opens the gate, however slow the machine is
    const config = host.config('two-at-once', host.checks.healthy + gateCheck('two-at-once'));
    const lockFile = join(host.stateDir('two-at-once'), 'run.lock');
    const first = runCli(['--config', config], { env: host.env() });
    await waitFor(() => existsSync(lockFile), 'the first run to take the lock');

    const second = await runCli(['--config', config], { env: host.env() });
    assert.equal(second.code, 3, second.stderr);
    assert.equal(second.stdout, '');
    assert.match(
      second.stderr,
      /^neuronova-health-check: another run \(pid \d+\) holds .*run\.lock since \d+s ago; wait for it to finish, or delete the file if no run is going on\n$/,
    );

    const quiet = await runCli(['--quiet', '--config', config], { env: host.env() });
    assert.equal(quiet.code, 3, '--quiet still exits 3');
    assert.equal(quiet.stdout, '');
    assert.match(quiet.stderr, /another run \(pid \d+\) holds/);

    writeFileSync(gate('two-at-once'), 'open\n');
    const done = await first;
    assert.equal(done.code, 0, done.stderr);
    assert.ok(!existsSync(lockFile), 'released when the run ends');
    // the refused runs wrote nothing to the log
    const log = readFileSync(host.logFile('two-at-once'), 'utf8');
    assert.equal(log.match(/Health check started/g)?.length, 1);
  });

  test('a run killed with SIGKILL mid-way leaves a lock that the next run takes over', async () => {
    const config = host.config('killed', host.checks.healthy + host.checks.hung2s + gateCheck('killed'));
    const lockFile = join(host.stateDir('killed'), 'run.lock');
    let pid = 0;
    const killed = runCli(['--config', config], { env: host.env(), started: (p) => (pid = p) });
    await waitFor(() => existsSync(lockFile), 'the run to take the lock');
    process.kill(pid, 'SIGKILL');
    const ended = await killed;
    writeFileSync(gate('killed'), 'open\n'); // the gate check's shell outlives a SIGKILLed run: let it end
    assert.equal(ended.signal, 'SIGKILL');
    assert.ok(existsSync(lockFile), 'a killed run cannot clean up its lock');
    assert.equal(Number(readFileSync(lockFile, 'utf8').split('\n')[0]), pid);
    assert.equal(processAlive(pid), false);

    const next = await runCli(['--json', '--only', 'django-api', '--config', config], { env: host.env() });
    assert.equal(next.code, 0, next.stderr);
    assert.equal(JSON.parse(next.stdout).services['django-api'].level, 'OK');
    assert.ok(!existsSync(lockFile));
  });

  test('a run stopped with SIGTERM kills its plugins, releases the lock and alerts nothing', async () => {
    const marker = join(host.dir, 'sigterm-child.pid');
    // the plugin starts a grandchild and records its pid, then waits for the gate that never opens
    const plugin = `  - { name: plugin, type: command, command: [/bin/sh, -c, "sleep 60 & echo $! > '${marker}'; wait"], timeout: 25s }\n`;
    const config = host.config('sigterm', host.checks.healthy + plugin);
    const lockFile = join(host.stateDir('sigterm'), 'run.lock');
    let pid = 0;
    const stopped = runCli(['--config', config], { env: host.env(), started: (p) => (pid = p) });
    await waitFor(
      () => existsSync(lockFile) && existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '',
      'the plugin to start',
    );
    process.kill(pid, 'SIGTERM');
    const ended = await stopped;
    assert.equal(ended.code, 3, ended.stderr);
    assert.match(ended.stderr, /interrupted by SIGTERM/);
    assert.ok(!existsSync(lockFile), 'the lock is released');
    const grandchild = Number(readFileSync(marker, 'utf8').trim());
    await waitFor(() => !processAlive(grandchild), "the plugin's own child to be killed with its process group");
    const log = readFileSync(host.logFile('sigterm'), 'utf8');
    assert.match(log, /ERROR: Health check interrupted by SIGTERM/);
    assert.doesNotMatch(log, /Health check finished/);
  });
});
