// The lock takeover itself, hammered: 16 threads released at the same instant on a stale lock (its pid is dead),
// 100 times over. Each time exactly one thread holds the lock; the others are told another run holds it (exit 3).
// Threads share our pid, so a holder thread is "a live process" to the others, as a run would be.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { acquireLock } from '../../src/state/lock.js';

const THREADS = 16;
const TRIALS = 100;

test(`${THREADS} takers released together on a stale lock: one holder, ${TRIALS} times out of ${TRIALS}`, {
  timeout: 120_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-takeover-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dead = spawnSync('/bin/true').pid!;
  const shared = new SharedArrayBuffer(5 * 4);
  const flags = new Int32Array(shared);
  const errors: string[] = [];
  const workers = Array.from({ length: THREADS }, () => {
    const worker = new Worker(new URL('./lock-taker.mjs', import.meta.url), {
      workerData: { dir, shared, trials: TRIALS },
    });
    worker.on('message', (m: { error: string }) => errors.push(m.error));
    worker.on('error', (error) => errors.push(String(error)));
    return worker;
  });
  t.after(() => Promise.all(workers.map((w) => w.terminate())));
  const holders: number[] = [];
  const until = async (index: number, value: number) => {
    while (Atomics.load(flags, index) < value) {
      if (errors.length) throw new Error(errors.join('; '));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  for (let trial = 1; trial <= TRIALS; trial++) {
    writeFileSync(join(dir, 'run.lock'), `${dead}\n${new Date().toISOString()}\n`); // a killed run's leftover
    Atomics.store(flags, 2, 0);
    Atomics.store(flags, 1, 0);
    Atomics.store(flags, 4, 0);
    Atomics.store(flags, 0, trial);
    Atomics.notify(flags, 0);
    await until(1, THREADS);
    holders.push(Atomics.load(flags, 2));
    Atomics.store(flags, 3, trial);
    Atomics.notify(flags, 3);
    await until(4, THREADS);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(
    holders.filter((n) => n !== 1),
    [],
    `trials with other than one holder: ${holders.join(',')}`,
  );
});

test('a taker killed between its claim and its rename does not block the lock for ever: the next run claims its claim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-takeover-'));
  try {
    const dead = spawnSync('/bin/true').pid!;
    const lockFile = join(dir, 'run.lock');
    writeFileSync(lockFile, `${dead}\n${new Date().toISOString()}\n`);
    const st = statSync(lockFile, { bigint: true });
    // what a taker leaves when SIGKILLed right after its O_EXCL claim
    writeFileSync(join(dir, `run.lock.takeover-${st.ino}-${st.mtimeNs}`), `${dead}\n`);
    const lock = acquireLock(dir, 120_000);
    assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], String(process.pid));
    assert.deepEqual(readdirSync(dir), ['run.lock'], 'claims and temp files are cleaned up');
    lock.release();
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run whose lock was taken over (it was judged stale) leaves the new holder’s lock alone on release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-takeover-'));
  try {
    const mine = acquireLock(dir, 120_000);
    // another run took it over (as it would after 2 × deadline + 60 s)
    const other = acquireLock(dir, -1);
    mine.release();
    assert.ok(existsSync(join(dir, 'run.lock')), 'the new holder keeps its lock');
    other.release();
    assert.ok(!existsSync(join(dir, 'run.lock')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
