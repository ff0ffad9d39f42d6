// `report [--since 24h|7d|30d|90d] [--check NAME] [--json]`: uptime, response times and incidents from the history.
import { say, useLanguage } from '../i18n/index.js';
import { hostname } from 'node:os';
// The run's cached loader: a report right after a run (same config) parses no YAML and loads no zod either.
import { loadRunConfig } from '../config/cache.js';
import { locateConfig } from '../config/locate.js';
import { historyDir } from '../history/files.js';
import { forEachRun } from '../history/read.js';
import { makePaint } from '../terminal/paint.js';
import { renderUptimeReport } from '../report/render.js';
import { uptimeReporter } from '../report/report.js';
import { parseWindow } from '../report/window.js';
import { messageOf, UsageError } from '../util/errors.js';
import { didYouMean } from '../util/nearest.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface ReportFlags extends GlobalOptions {
  since?: string;
  check?: string;
}

export async function reportCommand(flags: ReportFlags, io: CommandIO, now: () => number = Date.now): Promise<number> {
  const window = parseWindow(flags.since, now());
  const config = await loadRunConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
  const dir = historyDir(config.state_dir);
  const known = config.checks.filter((check) => check.enabled).map((check) => ({ name: check.name, type: check.type }));
  const reporter = uptimeReporter({
    ...window,
    target: config.history.target,
    host: hostname(),
    known,
    ...(flags.check !== undefined ? { only: [flags.check] } : {}),
  });
  let read;
  try {
    read = forEachRun(dir, window, reporter.add);
  } catch (error) {
    throw new UsageError(say.report.cannotRead(dir, messageOf(error)));
  }
  const report = reporter.finish();
  if (
    flags.check !== undefined &&
    !config.checks.some((check) => check.name === flags.check) &&
    report.checks[flags.check]!.runs === 0
  ) {
    const guess = didYouMean(
      flags.check,
      config.checks.map((check) => check.name),
    );
    throw new UsageError(say.report.noSuchCheck(flags.check, guess));
  }
  if (flags.quiet) return 0;
  // A torn line (a run cut short mid-write) is skipped; it is mentioned, not warned about, as it stays for the retention.
  const history = { dir, files: read.files, skipped_lines: read.skipped };
  if (flags.json) io.out(JSON.stringify({ ...report, history }, null, 2) + '\n');
  else io.out(renderUptimeReport(report, await makePaint(io.color), history));
  return 0;
}
