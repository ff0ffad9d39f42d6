// `neuronova-health-check [run]`: one run, printed as a table, JSON, a Nagios line, or nothing (--quiet).
// The cached loader, not config/load.ts: a run whose config is unchanged parses no YAML and loads no zod.
import { say, useLanguage } from '../i18n/index.js';
import { loadRunConfig } from '../config/cache.js';
import { locateConfig } from '../config/locate.js';
import { exitCode } from '../levels.js';
import { makePaint } from '../terminal/paint.js';
import { runChecks } from '../run.js';
import { armWatchdog, type LastWords } from '../run-watchdog.js';
import { formatDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface RunFlags extends GlobalOptions {
  only?: string;
}

/**
 * Counted from the process's start, as is the promise "exits within deadline + 1 s": it leaves the watchdog 300 ms to
 * write, end the process, and be late on a busy host (docs/reliability.md).
 */
const WATCHDOG_GRACE_MS = 700;

/** Set only by `scripts/build.mjs --no-watchdog`, for the bench to measure what the watchdog costs. */
declare const NEURONOVA_NO_WATCHDOG: boolean | undefined;
const WATCHDOG = typeof NEURONOVA_NO_WATCHDOG === 'undefined';

export async function runCommand(flags: RunFlags, io: CommandIO): Promise<number> {
  if (flags.format !== undefined && flags.format !== 'nagios') {
    throw new UsageError(`--format: unknown format "${flags.format}"; the only format is nagios`);
  }
  const config = await loadRunConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
  // Loaded now rather than after the run: the watchdog needs the line as soon as the checks are decided.
  const nagios =
    flags.format === 'nagios' && !flags.quiet && !flags.json ? await import('../outputs/nagios.js') : undefined;
  const deadline = formatDuration(config.deadline);
  const unfinished: LastWords = {
    stdout: nagios ? `UNKNOWN - the run did not finish by its deadline (${deadline}); stopped by its watchdog\n` : '',
    stderr: `neuronova-health-check: ${say.run.watchdogStderr(deadline)}\n`,
    log: say.run.watchdogLog(deadline),
    code: exitCode('UNKNOWN'),
  };
  // The run keeps its deadline by itself; this is the last resort if the main thread cannot (docs/reliability.md).
  const watchdog = WATCHDOG
    ? armWatchdog({ firesAt: config.deadline + WATCHDOG_GRACE_MS, logFile: config.log_file, words: unfinished })
    : { update() {}, disarm() {} };
  const only = flags.only
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const outcome = await runChecks({
    config,
    alert: flags.alert !== false,
    onProblem: (message) => io.err(`neuronova-health-check: ${message}\n`),
    ...(only ? { only } : {}),
    ...(io.interrupted ? { interrupted: io.interrupted } : {}),
    // The deadline bounds the whole process, as cron and the watchdog see it: start-up and loading the config count.
    deadlineFrom: 0,
    onDecided: (results, level) =>
      watchdog.update({
        stdout: nagios ? nagios.nagiosOutput(results) : '',
        stderr: `neuronova-health-check: ${say.run.watchdogStepsStderr(deadline)}\n`,
        log: say.run.watchdogStepsLog(level, deadline),
        code: exitCode(level),
      }),
  }).finally(() => watchdog.disarm());

  if (flags.quiet) {
    // nothing on stdout, whatever the result
  } else if (flags.json) {
    io.out(JSON.stringify(outcome.report, null, 2) + '\n');
  } else if (nagios) {
    io.out(nagios.nagiosOutput(outcome.results));
  } else {
    const { renderRun } = await import('../outputs/terminal.js');
    io.out(renderRun(outcome.report, outcome.results, await makePaint(io.color), config.log_file));
    const { mutesInForceText } = await import('../alerts/silences.js');
    io.out(mutesInForceText(config.state_dir, config.alerts.maintenance));
    const { firstRunHint } = await import('./first-run-hint.js');
    io.out(firstRunHint(config.source, outcome.results) ?? '');
  }
  return exitCode(outcome.level);
}
