// The lock takeover itself, hammered: 16 threads released at the same instant on a stale lock (its pid is dead),
// 100 times over. Each time exactly one thread holds the lock; the others are told another run holds it (exit 3).
// Threads share our pid, so a holder thread is "a live process" to the others, as a run would be.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const THREADS = 16;
const TRIALS = 100;

test(`${THREADS} takers released together on a stale lock: one holder, ${TRIALS} times out of ${TRIALS}`, { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-takeover-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dead = spawnSync('/bin/true').pid!;
  const shared = new SharedArrayBuffer(5 * 4);
  const flags = new Int32Array(shared);
  const errors: string[] = [];
  const workers = Array.from({ length: THREADS }, () => {
    const worker = new Worker(new URL('./lock-taker.mjs', import.meta.url), { workerData: { dir, shared, trials: TRIALS } });
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
  assert.deepEqual(holders.filter((n) => n !== 1), [], `trials with other than one holder: ${holders.join(',')}`);
});
