// Who owns an exception nobody caught: the check or after-run step whose callbacks threw it (docs/reliability.md).
import { AsyncLocalStorage } from 'node:async_hooks';

// A client library can throw from its own socket callback (pg's parser did, on a GSS authentication request): no
// promise of ours rejects, Node calls it uncaught. Every callback keeps the async context it was created in, so the
// exception still names the part that started it, and that part alone fails.
const owners = new AsyncLocalStorage<(error: unknown) => void>();

/** Run `work` so that an exception escaping from any callback it started rejects the returned promise. */
export function ownCrashes<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => owners.run(reject, () => work().then(resolve, reject)));
}

/**
 * For process.on('uncaughtException' | 'unhandledRejection'): hand the error to the part it came from.
 * False when it came from no such part: the program's own error.
 */
export function claimCrash(error: unknown): boolean {
  const owner = owners.getStore();
  if (!owner) return false;
  // A part already decided (timed out, answered) ignores it: its result stands.
  owner(error);
  return true;
}
