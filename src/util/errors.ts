// Typed errors that the cli turns into one clear line and exit code 3, never a stack trace.

/** The config file (or a value in it) is wrong. `problems` are `path.to.key: what is wrong` lines. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((problem) => `${file}: ${problem}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** The command line is wrong, or the program cannot run (lock held, directory missing). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** SIGINT/SIGTERM stopped the run: half a run proves nothing, so nothing was alerted or recorded (exit 3). */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** The message of anything thrown: an error's message, else its text. Read by shape, not `instanceof`: errors from
 * worker threads and other realms are not this realm's Error. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

/** The system error code of anything thrown (`ENOENT`, `EACCES`, …), when it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
