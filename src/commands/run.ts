// `neuronova-health-check [run]`: one run, printed as a table, JSON, a Nagios line, or nothing (--quiet).
// The cached loader, not config/load.ts: a run whose config is unchanged parses no YAML and loads no zod.
import { useLanguage } from '../i18n/index.js';
import { loadRunConfig } from '../config/cache.js';
import { locateConfig } from '../config/locate.js';
import { exitCode } from '../levels.js';
import { makePaint } from '../terminal/paint.js';
import { runChecks } from '../run.js';
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface RunFlags extends GlobalOptions {
  only?: string;
}

export async function runCommand(flags: RunFlags, io: CommandIO): Promise<number> {
  if (flags.format !== undefined && flags.format !== 'nagios') {
    throw new UsageError(`--format: unknown format "${flags.format}"; the only format is nagios`);
  }
  const config = await loadRunConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
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
  });

  if (flags.quiet) {
    // nothing on stdout, whatever the result
  } else if (flags.json) {
    io.out(JSON.stringify(outcome.report, null, 2) + '\n');
  } else if (flags.format === 'nagios') {
    const { nagiosOutput } = await import('../outputs/nagios.js');
    io.out(nagiosOutput(outcome.results));
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
