// A thread of lock-takeover.test.ts (plain JS: threads do not inherit tsx, so it registers it itself): waits for the
// start signal, tries the lock, reports, and holds it until the trial ends.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { acquireLock } = await import('../../src/state/lock.ts');
const { dir, shared, trials } = workerData;
// [0] trial started, [1] threads that tried, [2] threads holding, [3] trial may end, [4] threads released
const flags = new Int32Array(shared);
for (let trial = 1; trial <= trials; trial++) {
  while (Atomics.load(flags, 0) < trial) Atomics.wait(flags, 0, trial - 1, 50);
  let lock;
  try {
    lock = acquireLock(dir, 120_000);
  } catch (error) {
    if (!/another run/.test(error.message)) parentPort.postMessage({ error: error.message });
  }
  if (lock) Atomics.add(flags, 2, 1);
  Atomics.add(flags, 1, 1);
  while (Atomics.load(flags, 3) < trial) Atomics.wait(flags, 3, trial - 1, 50);
  lock?.release();
  Atomics.add(flags, 4, 1);
}
