// Runs serve's cycles on a fixed interval, one at a time: requests only read the latest snapshot, so no request rate
// can start a cycle, and a slow cycle delays the next one instead of overlapping it (docs/serve.md "Cycles").
import type { Cycler, Snapshot } from './cycle.js';

export interface Scheduler {
  /** The newest finished cycle, or undefined before the first one has finished. */
  latest(): Snapshot | undefined;
  /** Resolves with the first snapshot (at once when there is one); undefined when stopped first. */
  first(): Promise<Snapshot | undefined>;
  /** How many cycles have started (for tests and the bench: coalescing is visible as this count). */
  cycles(): number;
  /** Epoch ms the scheduler started. */
  startedAt: number;
  /** Stop: no new cycle starts and the running one is told to stop its checks. Resolves when it has. */
  stop(): Promise<void>;
  /** Called after every cycle with its snapshot. */
  onCycle(listener: (snapshot: Snapshot) => void): void;
}

export function startScheduler(cycler: Cycler, intervalMs: number, onError: (error: unknown) => void): Scheduler {
  const halt = new AbortController();
  const listeners: ((snapshot: Snapshot) => void)[] = [];
  let latest: Snapshot | undefined;
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let resolveFirst!: (snapshot: Snapshot | undefined) => void;
  const firstDone = new Promise<Snapshot | undefined>((resolve) => (resolveFirst = resolve));

  const cycle = async () => {
    timer = undefined;
    if (halt.signal.aborted) return;
    const began = Date.now();
    count++;
    try {
      const snapshot = await cycler.run(halt.signal);
      if (!halt.signal.aborted) {
        latest = snapshot;
        resolveFirst(snapshot);
        for (const listener of listeners) listener(snapshot);
      }
    } catch (error) {
      onError(error); // the engine never throws; a bug of ours must not end the loop
    }
    // Never more often than the interval, never two at once: the next start is an interval after this one began.
    if (!halt.signal.aborted)
      timer = setTimeout(() => void (running = cycle()), Math.max(0, began + intervalMs - Date.now()));
  };
  running = cycle();

  return {
    latest: () => latest,
    first: () => firstDone,
    cycles: () => count,
    startedAt: Date.now(),
    onCycle: (listener) => void listeners.push(listener),
    async stop() {
      halt.abort(new Error('serve is stopping'));
      if (timer) clearTimeout(timer);
      resolveFirst(undefined);
      await running;
    },
  };
}
