// The four levels of a check, their order, their HTTP-style status words and their Nagios exit codes.
export const LEVELS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type Level = (typeof LEVELS)[number];

// Severity order for "the worst present": OK < UNKNOWN < WARNING < CRITICAL (docs/reference.md#levels).
const SEVERITY: Record<Level, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };

const STATUS_WORD: Record<Level, string> = {
  OK: 'healthy',
  WARNING: 'degraded',
  CRITICAL: 'unhealthy',
  UNKNOWN: 'unknown',
};

// Nagios plugin convention, so other tools can wrap the program.
const EXIT_CODE: Record<Level, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export function severity(level: Level): number {
  return SEVERITY[level];
}

export function worst(levels: Iterable<Level>): Level {
  let result: Level = 'OK';
  for (const level of levels) if (SEVERITY[level] > SEVERITY[result]) result = level;
  return result;
}

export function statusWord(level: Level): string {
  return STATUS_WORD[level];
}

export function exitCode(level: Level): number {
  return EXIT_CODE[level];
}

export function levelFromExitCode(code: number | null | undefined): Level | undefined {
  return LEVELS.find((level) => EXIT_CODE[level] === code);
}
