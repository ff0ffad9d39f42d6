// A counting semaphore whose waiters give up when their AbortSignal aborts.

export interface Slots {
  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  take(signal: AbortSignal): Promise<() => void>;
}

export function slots(size: number): Slots {
  let free = size;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    take(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (free > 0) {
        free--;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const granted = () => {
          signal.removeEventListener('abort', gaveUp);
          resolve(once(release));
        };
        const gaveUp = () => {
          waiting.splice(waiting.indexOf(granted), 1);
          reject(signal.reason);
        };
        waiting.push(granted);
        signal.addEventListener('abort', gaveUp, { once: true });
      });
    },
  };
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}
