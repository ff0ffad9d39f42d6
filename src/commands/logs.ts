// `logs summary|errors|cleanup` over the config's log_sources (docs/integrations.md#logs-the-applications-log-files): printed as a table or as JSON.
import { say } from '../i18n/index.js';
import { loadConfig, locateConfig } from '../config/load.js';
import { cleanupAnswer, errorsAnswer, summaryAnswer } from '../logs/answers.js';
import { cleanupRotated } from '../logs/cleanup.js';
import { scanErrors } from '../logs/errors.js';
import { discoverLogs, type LogSources } from '../logs/sources.js';
import { summarizeLogs } from '../logs/summary.js';
import { formatBytes } from '../util/bytes.js';
import { UsageError } from '../util/errors.js';
import { maskText } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface LogsFlags extends GlobalOptions {
  hours?: string;
  days?: string;
  dryRun?: boolean;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

function loadSources(flags: LogsFlags): { sources: LogSources; patterns: string[] } {
  const config = loadConfig(locateConfig(flags.config));
  if (config.log_sources.length === 0) {
    throw new UsageError(say.logs.noSources(config.source));
  }
  return { sources: discoverLogs(config.log_sources), patterns: config.log_sources };
}

function positive(flag: string, value: string | undefined, fallback: number, unit: string): number {
  const number = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(say.logs.notPositive(flag, unit, fallback, value));
  return number;
}

const ago = (ms: number, now: number) => (now - ms < 1000 ? say.logs.justNow : say.logs.ago(say.duration(now - ms)));

/** Lines about what was left out, for the end of a text report (they go to stdout: they are part of the answer). */
function notes(sources: LogSources): string[] {
  return [
    ...sources.unmatched.map((u) => say.logs.noFiles(u.pattern, u.reason)),
    ...sources.refused.map((r) => say.logs.leftAlone(r.path, r.reason)),
  ];
}

export async function logsSummaryCommand(flags: LogsFlags, io: CommandIO): Promise<number> {
  const { sources } = loadSources(flags);
  const summaries = await summarizeLogs(sources);
  if (flags.quiet) return 0;
  if (flags.json) {
    io.out(JSON.stringify(summaryAnswer(summaries, sources), null, 2) + '\n');
    return 0;
  }
  const now = Date.now();
  const rows = summaries.map(({ log, lines, problem, rotatedBytes }) => [
    log.path,
    log.missing ? '-' : formatBytes(log.size),
    log.missing ? '-' : problem ? `(${problem})` : String(lines),
    log.missing ? say.logs.noLiveLog : `${localStamp(new Date(log.mtimeMs))} (${ago(log.mtimeMs, now)})`,
    log.rotated.length ? `${log.rotated.length} (${formatBytes(rotatedBytes)})` : '0',
  ]);
  const table = renderTable(say.logs.header, rows, [false, true, true, false, false]);
  const total = summaries.reduce((sum, s) => sum + (s.log.missing ? 0 : s.log.size) + s.rotatedBytes, 0);
  const lines = [rows.length ? table : say.logs.noLogFiles, ...notes(sources)];
  if (rows.length) {
    const live = summaries.filter((s) => !s.log.missing).length;
    lines.push(say.logs.liveTotal(live, formatBytes(total)));
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

export async function logsErrorsCommand(flags: LogsFlags, io: CommandIO): Promise<number> {
  const hours = positive('hours', flags.hours, 1, say.logs.hours);
  const { sources } = loadSources(flags);
  const now = new Date();
  const since = now.getTime() - hours * HOUR;
  const scan = await scanErrors(sources, since, now);
  if (flags.quiet) return 0;
  // Log lines may hold connection strings and tokens: masked like everything else the program prints.
  if (flags.json) {
    io.out(JSON.stringify(errorsAnswer(hours, since, scan, sources), null, 2) + '\n');
    return 0;
  }
  const lines = scan.entries.map((e) => `${localStamp(new Date(e.time))}  ${e.file}:${e.line}  ${maskText(e.text)}`);
  lines.push(
    scan.entries.length
      ? say.logs.errorsFound(scan.entries.length, hours, scan.files.length)
      : say.logs.noErrors(hours, scan.files.length),
  );
  for (const u of scan.untimed) lines.push(say.logs.untimed(u.path, u.lines));
  for (const u of scan.unreadable) lines.push(say.logs.cannotRead(u.path, u.reason));
  lines.push(...notes(sources));
  io.out(lines.join('\n') + '\n');
  return 0;
}

export async function logsCleanupCommand(flags: LogsFlags, io: CommandIO): Promise<number> {
  const days = positive('days', flags.days, 7, say.logs.days);
  const { sources } = loadSources(flags);
  const dryRun = Boolean(flags.dryRun);
  const result = cleanupRotated(sources, Date.now() - days * DAY, dryRun);
  // Files that could not be deleted are the program's problem to report (exit 3), like any run that could not finish.
  for (const f of result.failed) io.err(`neuronova-health-check: ${say.logs.cannotDelete(f.path, f.reason)}\n`);
  const code = result.failed.length ? 3 : 0;
  if (flags.quiet) return code;
  if (flags.json) {
    io.out(JSON.stringify(cleanupAnswer(days, dryRun, result, sources), null, 2) + '\n');
    return code;
  }
  const now = Date.now();
  const lines = result.deleted.map((f) => say.logs.deleted(dryRun, f.path, formatBytes(f.size), ago(f.mtimeMs, now)));
  for (const r of result.refused) lines.push(say.logs.leftAlone(r.path, r.reason));
  for (const u of sources.unmatched) lines.push(say.logs.noFiles(u.pattern, u.reason));
  lines.push(say.logs.freed(dryRun, formatBytes(result.freedBytes), result.deleted.length, days, result.kept.length));
  io.out(lines.join('\n') + '\n');
  return code;
}

/** Columns padded to the widest cell; `right` aligns numbers. */
function renderTable(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
