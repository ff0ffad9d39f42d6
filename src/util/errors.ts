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
