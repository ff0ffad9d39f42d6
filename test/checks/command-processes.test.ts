// Hostile plugins against the `command` check, with real processes: a child that leaves the process group with
// setsid and holds the stdout pipe, a plugin that floods stdout, a run stopped by SIGTERM. Nothing may outlive the check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { MARK_VARIABLE, runProgram } from '../../src/checks/program.js';
import { runYaml } from '../helpers/check-run.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'neuronova-health-check.js');
let dir: string;

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Pids of live processes carrying a marker that `ownerPid` gave out (markers are "<pid of the checker>-<random>"). */
function markedBy(ownerPid: number): number[] {
  const needle = Buffer.from(`${MARK_VARIABLE}=${ownerPid}-`);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        readFileSync(`/proc/${entry}/environ`).includes(needle) &&
        !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))
      )
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !condition() && Date.now() < end; )
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * A plugin whose child leaves the group (setsid), keeps stdout open and sleeps; the child's pid goes to `pidFile`.
 * The plugin waits for that file before it goes on (`then`), so the child exists whatever the host's load.
 */
function setsidPlugin(name: string, pidFile: string, then: string): string {
  return script(
    name,
    `echo "starting"\nsetsid sh -c 'echo $$ > "${pidFile}.tmp"; mv "${pidFile}.tmp" "${pidFile}"; exec sleep 300' &\nwhile [ ! -s "${pidFile}" ]; do sleep 0.01; done\n${then}`,
  );
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-procs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('command check: nothing a plugin starts outlives the check', () => {
  test('a plugin that forks a setsid child holding stdout, then sleeps: UNKNOWN at its timeout, no process left', async () => {
    const pidFile = join(dir, 'setsid-1.pid');
    const plugin = setsidPlugin('setsid-sleeps', pidFile, 'sleep 300');
    const run = await runYaml(`  - { name: sneaky, type: command, command: ["${plugin}"], timeout: 5s }\n`);
    const entry = run.report.services.sneaky!;
    assert.equal(entry.level, 'UNKNOWN');
    assert.equal(entry.message, 'no answer within 5s (timeout)');
    assert.ok(existsSync(pidFile), 'the setsid child never started: the test proves nothing');
    const child = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(child));
    assert.equal(alive(child), false, `the setsid child (pid ${child}) survived`);
    assert.deepEqual(markedBy(process.pid), [], 'processes with our marker are still running');
  });

  test('the check itself (not only the engine) answers by its signal although the pipe stays open', async () => {
    const pidFile = join(dir, 'setsid-2.pid');
    const plugin = setsidPlugin('setsid-direct', pidFile, 'sleep 300');
    const stop = new AbortController();
    const running = runProgram([plugin], { maxBuffer: 1024, signal: stop.signal });
    await until(() => existsSync(pidFile));
    const stoppedAt = Date.now();
    stop.abort();
    const run = await running;
    // Generous: the point is "not 300 s", which is when the pipe would close by itself.
    assert.ok(Date.now() - stoppedAt < 3000, `runProgram took ${Date.now() - stoppedAt} ms after the stop`);
    assert.equal(run.stopped, true);
    await until(() => markedBy(process.pid).length === 0);
    assert.deepEqual(markedBy(process.pid), []);
  });

  test('a plugin that exits at once but leaves a setsid child holding stdout: its verdict counts, the child is killed', async () => {
    const pidFile = join(dir, 'setsid-3.pid');
    const plugin = setsidPlugin('setsid-exits', pidFile, 'echo "DISK OK - free space: / 40%"\nexit 0');
    const run = await runYaml(`  - { name: leaver, type: command, command: ["${plugin}"], timeout: 20s }\n`);
    const entry = run.report.services.leaver!;
    assert.equal(entry.level, 'OK');
    assert.equal(entry.message, 'starting');
    // answered long before the 20 s timeout: the open pipe was let go of shortly after the plugin's exit
    assert.ok(run.results[0]!.durationMs < 10_000, `took ${run.results[0]!.durationMs} ms`);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(child));
    assert.equal(alive(child), false, `the setsid child (pid ${child}) survived`);
  });

  test('a plugin that floods stdout is capped at 64 KiB: UNKNOWN, first line kept, memory bounded, nothing left', async () => {
    // `yes` writes ~GBs per second: without a cap the run would hold all of it until the timeout
    const plugin = script(
      'flood',
      'echo "FLOOD first line | x=1"\nexec yes "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
    );
    const rssBefore = process.memoryUsage().rss;
    const run = await runYaml(`  - { name: flood, type: command, command: ["${plugin}"], timeout: 5s }\n`);
    const grew = process.memoryUsage().rss - rssBefore;
    const entry = run.report.services.flood!;
    assert.equal(entry.level, 'UNKNOWN');
    assert.equal(entry.message, 'FLOOD first line (output over 64 KiB, stopped)');
    assert.equal(entry.perfdata, 'x=1');
    assert.ok(grew < 64 * 1024 * 1024, `RSS grew by ${(grew / 1048576).toFixed(1)} MiB`);
    await until(() => markedBy(process.pid).length === 0);
    assert.deepEqual(markedBy(process.pid), []);
  });

  test('SIGTERM to a run: it exits and leaves no plugin process behind, setsid children included', async () => {
    const pidFile = join(dir, 'setsid-4.pid');
    const plugin = setsidPlugin('setsid-term', pidFile, 'sleep 300');
    const config = join(dir, 'term.yml');
    writeFileSync(
      config,
      `log_file: ${dir}/term.log\nstate_dir: ${dir}/term-state\nchecks:\n  - { name: sneaky, type: command, command: ["${plugin}"], timeout: 60s }\n`,
    );
    const run = spawn(process.execPath, [BIN, 'run', '--config', config], { stdio: 'ignore' });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const child = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(child), true);
    const exited = new Promise((resolve) => run.once('exit', resolve));
    run.kill('SIGTERM');
    await exited;
    await until(() => !alive(child));
    assert.equal(alive(child), false, `the setsid child (pid ${child}) survived the run's SIGTERM`);
    assert.deepEqual(markedBy(run.pid!), []);
  });
});
