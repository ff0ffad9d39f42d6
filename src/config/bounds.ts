// The ranges a config must stay within (docs/config-rules.md): file size, number of checks, and durations that timers can hold.
import { say } from '../i18n/index.js';
import { formatDuration, parseDuration } from '../util/duration.js';

/** Bigger than any real host's config; a bound so a runaway generator cannot make validation the slow part of a run. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_CHECKS = 5_000;
/** YAML aliases a file may expand (anchors for shared headers are fine; a "billion laughs" file is not). */
export const MAX_ALIAS_COUNT = 1_000;
/** The longest delay setTimeout holds: a longer one fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A cron run every five minutes that may last an hour already piles up twelve runs. */
export const MAX_DEADLINE_MS = 3_600_000;
export const MAX_REPEAT_MS = 30 * 86_400_000;
const DEFAULT_DEADLINE_MS = 60_000;

type Raw = Record<string, unknown> | undefined;

const shown = (value: unknown) => (typeof value === 'string' ? value : String(value));

/** Milliseconds of a raw duration, or undefined when it is not one (the schema reports that, in its own words). */
function ms(value: unknown): number | undefined {
  return typeof value === 'string' || value === 0 ? parseDuration(String(value)) : undefined;
}

/** `deadline`, `timeout` (top level and per check), the heartbeat's `timeout` and `alerts.repeat`: one line per key out of range. */
export function durationBoundProblems(raw: Raw): string[] {
  if (!raw) return [];
  const problems: string[] = [];
  const deadline = ms(raw.deadline);
  let effectiveDeadline = DEFAULT_DEADLINE_MS;
  if (deadline !== undefined) {
    if (deadline <= 0 || deadline > MAX_DEADLINE_MS) {
      problems.push(`deadline: ${say.config.outOfRange(shown(raw.deadline), formatDuration(MAX_DEADLINE_MS), true)}`);
      effectiveDeadline = MAX_DEADLINE_MS;
    } else effectiveDeadline = deadline;
  }
  const deadlineWords = say.config.theDeadline(formatDuration(effectiveDeadline));
  const timeoutProblem = (key: string, value: unknown) => {
    const timeout = ms(value);
    if (timeout === undefined || (timeout > 0 && timeout <= effectiveDeadline)) return;
    problems.push(`${key}: ${say.config.outOfRange(shown(value), deadlineWords, true)}`);
  };
  timeoutProblem('timeout', raw.timeout);
  if (Array.isArray(raw.checks)) {
    raw.checks.forEach((check, index) => {
      if (check && typeof check === 'object') timeoutProblem(`checks[${index}].timeout`, (check as Raw)!.timeout);
    });
  }
  const heartbeat = (raw.outputs as Raw)?.heartbeat;
  if (heartbeat && typeof heartbeat === 'object') {
    const timeout = ms((heartbeat as Raw)!.timeout);
    // more than 0 is the schema's rule; the upper bound is the run's
    if (timeout !== undefined && timeout > effectiveDeadline) {
      problems.push(
        `outputs.heartbeat.timeout: ${say.config.outOfRange(shown((heartbeat as Raw)!.timeout), deadlineWords, false)}`,
      );
    }
  }
  const alerts = raw.alerts as Raw;
  const repeat = alerts && typeof alerts === 'object' ? ms(alerts.repeat) : undefined;
  if (repeat !== undefined && repeat > MAX_REPEAT_MS) {
    problems.push(
      `alerts.repeat: ${say.config.repeatOutOfRange(shown(alerts!.repeat), formatDuration(MAX_REPEAT_MS))}`,
    );
  }
  return problems;
}

/** A file too big to be a config; undefined when it is not. */
export function sizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_CONFIG_BYTES) return undefined;
  return say.config.fileTooBig((bytes / 1048576).toFixed(1));
}

/** Too many checks to validate and run within one cron interval; undefined when the count is fine. */
export function countProblem(raw: Raw): string | undefined {
  const checks = raw?.checks;
  if (!Array.isArray(checks) || checks.length <= MAX_CHECKS) return undefined;
  return `checks: ${say.config.tooManyChecks(checks.length, MAX_CHECKS)}`;
}
