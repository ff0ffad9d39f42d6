// The state kept in state_dir (src/state/store.ts): the run lock (live holder, dead holder, too old) and state.json
// (round trip, missing, corrupt), with real processes and a temp dir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { acquireLock } from '../../src/state/lock.js';
import { emptyState, readState, statePath, writeState } from '../../src/state/store.js';
import { UsageError } from '../../src/util/errors.js';

let root: string;
let n = 0;
const fresh = () => join(root, `s${n++}`);
before(() => {
  root = mkdtempSync(join(tmpdir(), 'nn-state-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited (so no process has it, barring reuse in the next moment). */
async function deadPid(): Promise<number> {
  const child = spawn('/bin/true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('run lock', () => {
  const living: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of living.splice(0)) child.kill('SIGKILL');
  });

  test('taken once; a second taker is refused while the first holds it; free again after release', () => {
    const dir = fresh();
    const lock = acquireLock(dir, 120_000);
    assert.ok(existsSync(join(dir, 'run.lock')));
    assert.equal(readFileSync(join(dir, 'run.lock'), 'utf8').split('\n')[0], String(process.pid));
    assert.throws(
      () => acquireLock(dir, 120_000),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(
          error.message,
          new RegExp(`^another run \\(pid ${process.pid}\\) holds .*run\\.lock since \\d+s ago; wait for it to finish`),
        );
        return true;
      },
    );
    lock.release();
    assert.ok(!existsSync(join(dir, 'run.lock')));
    acquireLock(dir, 120_000).release();
  });

  test('a lock held by another live process is a UsageError (exit 3 in the cli)', () => {
    const dir = fresh();
    const holder = spawn('sleep', ['30']);
    living.push(holder);
    acquireLock(dir, 120_000).release(); // creates the dir
    writeFileSync(join(dir, 'run.lock'), `${holder.pid}\n${new Date().toISOString()}\n`);
    assert.throws(() => acquireLock(dir, 120_000), UsageError);
    assert.ok(existsSync(join(dir, 'run.lock')), 'the live holder keeps its lock');
  });

  test('a lock left by a process that is gone (killed run) is stale and taken over', async () => {
    const dir = fresh();
    acquireLock(dir, 120_000).release();
    writeFileSync(join(dir, 'run.lock'), `${await deadPid()}\n${new Date().toISOString()}\n`);
    const lock = acquireLock(dir, 120_000);
    assert.equal(readFileSync(join(dir, 'run.lock'), 'utf8').split('\n')[0], String(process.pid));
    lock.release();
  });

  test('a lock older than any run can last is taken over even if its pid is alive again (pid reuse)', () => {
    const dir = fresh();
    const holder = spawn('sleep', ['30']);
    living.push(holder);
    acquireLock(dir, 120_000).release();
    const path = join(dir, 'run.lock');
    writeFileSync(path, `${holder.pid}\n2020-01-01T00:00:00.000Z\n`);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(path, old, old);
    acquireLock(dir, 120_000).release();
  });

  test('a lock file with garbage in it is stale', () => {
    const dir = fresh();
    acquireLock(dir, 120_000).release();
    writeFileSync(join(dir, 'run.lock'), 'not a pid\n');
    acquireLock(dir, 120_000).release();
  });

  test('state_dir is created (0750) when missing', () => {
    const dir = join(fresh(), 'deeper', 'state');
    acquireLock(dir, 120_000).release();
    assert.equal(statSync(dir).mode & 0o027, 0, 'no group write, nothing for others');
  });
});

describe('state file', () => {
  test('no file yet: an empty state and no problem (first run)', () => {
    assert.deepEqual(readState(fresh()), { state: emptyState() });
  });

  test('what is written is read back; unknown sections are kept', () => {
    const dir = fresh();
    const state = {
      ...emptyState(),
      checks: { nginx: { memory: { restarts: 4 }, failures: 2 } },
      outbox: { slack: [] },
    };
    writeState(dir, state);
    assert.deepEqual(readState(dir), { state });
    assert.equal(statSync(statePath(dir)).mode & 0o777, 0o640);
  });

  test('a corrupt or truncated state file is reported and replaced by an empty state, never a crash', () => {
    for (const junk of ['{"version":1,"checks":{"ngi', '', 'null', '[1,2]', '{"version":1}']) {
      const dir = fresh();
      writeState(dir, emptyState());
      writeFileSync(statePath(dir), junk);
      const { state, problem } = readState(dir);
      assert.deepEqual(state, emptyState(), junk);
      assert.match(problem ?? '', /^state file .*state\.json was corrupt \(.+\); starting afresh$/, junk);
    }
  });
});
