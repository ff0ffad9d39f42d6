// Checks started together must not charge each other's start-up to their peers (docs/checks-timing.md): a probe
// whose worker is ready waits to start its clock until the workers that were loading and warming up at that moment
// are done too, and the main thread (other checks loading their modules) has a quiet moment, so a connect is not
// timed while other threads of the run fight it for the CPU. Never longer than QUIET_WAIT_MS in all.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Longest a ready probe waits for the others by default: past it, a slow start-up elsewhere is charged rather than
 * waited for. Callers pass less for short timeouts (a tenth of the check's timeout): on a host so busy that the main
 * thread never looks quiet, the wait must not eat the time the peer has to answer.
 */
export const QUIET_WAIT_MS = 1000;

const warming = new Set<Promise<void>>();

/** Marks one worker as loading/warming up; call the returned function when it is ready (or gone). */
export function warmingUp(): { done: () => void; promise: Promise<void> } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  warming.add(promise);
  void promise.then(() => warming.delete(promise));
  return { done, promise };
}

/** How long a probe may wait for a quiet moment before its clock starts, given the check's timeout. */
export function quietWaitFor(timeoutMs: number | undefined): number {
  return timeoutMs === undefined ? QUIET_WAIT_MS : Math.min(QUIET_WAIT_MS, timeoutMs / 10);
}

/** A main thread busy less than this share of a 10 ms window is quiet enough to time a peer beside. */
const MAIN_QUIET_SHARE = 0.5;

/** Resolves once every worker warming up now (but `own`) is ready and the main thread is quiet, or after `maxWaitMs`. */
export async function quietMoment(own?: Promise<void>, maxWaitMs = QUIET_WAIT_MS): Promise<void> {
  const until = performance.now() + maxWaitMs;
  const others = [...warming].filter((p) => p !== own);
  if (others.length > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
      void Promise.all(others).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  // A 10 ms timer that fires late, in a window the loop spent mostly busy, means another check is still starting here.
  let last = performance.eventLoopUtilization();
  while (performance.now() < until) {
    await sleep(10, undefined, { ref: false });
    const now = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(now, last).utilization < MAIN_QUIET_SHARE) return;
    last = now;
  }
}
