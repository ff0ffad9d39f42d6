// Twenty runs started together on the stale lock of a run killed with SIGKILL: one takes the lock over, the others
// see a live holder and exit 3, and the SMTP server gets exactly one page (docs/files.md, "The run lock").
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { countingSmtp, incidentConfig, processAlive, waitFor } from './kit.js';

test('20 runs piled on a stale lock left by a SIGKILLed run send one page', { timeout: 180_000 }, async (t) => {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nn-lockrace-'));
  const smtp = await countingSmtp();
  t.after(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const gate = join(dir, 'gate');
  const held = incidentConfig(
    dir,
    smtp.port,
    `  - { name: gate, type: command, command: [/bin/sh, -c, "while [ ! -e '${gate}' ]; do sleep 0.05; done"], timeout: 15s }`,
    'held.yml',
  );
  const lock = join(dir, 'state', 'run.lock');
  let pid = 0;
  const killed = runCli(['--config', held], { started: (p) => (pid = p) });
  await waitFor(() => existsSync(lock), 'the first run to take the lock');
  process.kill(pid, 'SIGKILL');
  assert.equal((await killed).signal, 'SIGKILL');
  writeFileSync(gate, 'open\n');
  assert.equal(Number(readFileSync(lock, 'utf8').split('\n')[0]), pid, 'the killed run left its lock');
  assert.equal(processAlive(pid), false);

  const config = incidentConfig(dir, smtp.port);
  // twenty node processes on a loaded machine: a deadline no run can reach by slowness alone (exit 3 must mean the lock)
  writeFileSync(config, readFileSync(config, 'utf8').replace('deadline: 20s', 'deadline: 120s'));
  const runs = await Promise.all(Array.from({ length: 20 }, () => runCli(['--config', config])));
  const codes = runs.map((run) => run.code);
  assert.deepEqual(
    codes.filter((code) => code !== 2 && code !== 3),
    [],
    `every run either ran (2: the check fails) or found the lock held (3): ${runs.map((r) => r.stderr).join('')}`,
  );
  for (const run of runs.filter((r) => r.code === 3))
    assert.match(run.stderr, /another run \(pid \d+\) holds .*run\.lock/);
  assert.equal(smtp.subjects.length, 1, `exactly one page, got: ${smtp.subjects.join(' | ')}`);
  assert.ok(!existsSync(lock), 'the lock is released');
  assert.deepEqual(
    readdirSync(join(dir, 'state')).filter((name) => name.includes('takeover') || name.endsWith('.tmp')),
    [],
    'no claim or temp file left',
  );
});
