// Checks started together must not charge each other's start-up to their peers (docs/checks-timing.md): a probe
// whose worker is ready waits to start its clock until the workers that were loading and warming up at that moment
// are done too, so a connect is not timed while other threads of the run fight it for the CPU.

/** Longest a ready probe waits for the others: past it, a slow start-up elsewhere is charged rather than waited for. */
const QUIET_WAIT_MS = 1000;

const warming = new Set<Promise<void>>();

/** Marks one worker as loading/warming up; call the returned function when it is ready (or gone). */
export function warmingUp(): { done: () => void; promise: Promise<void> } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  warming.add(promise);
  void promise.then(() => warming.delete(promise));
  return { done, promise };
}

/** Resolves once every worker warming up now (but `own`) is ready, or after QUIET_WAIT_MS. */
export function othersWarmedUp(own?: Promise<void>): Promise<void> {
  const others = [...warming].filter((p) => p !== own);
  if (others.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, QUIET_WAIT_MS);
    timer.unref();
    void Promise.all(others).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
