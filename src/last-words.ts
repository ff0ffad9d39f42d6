// What the program still writes when an internal error ends it at once: each run in progress registers its closing.
const closings = new Set<(reason: string) => void>();

/** Register what to do if the program must end now (log line, lock); returns the function that unregisters it. */
export function onLastWords(closing: (reason: string) => void): () => void {
  closings.add(closing);
  return () => closings.delete(closing);
}

/** Called once by the cli on an internal error, just before it exits 3. */
export function sayLastWords(reason: string): void {
  for (const closing of closings) {
    try {
      closing(reason);
    } catch {
      // the program is ending on an error already; a second one changes nothing
    }
  }
  closings.clear();
}
