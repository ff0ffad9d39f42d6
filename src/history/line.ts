// The history line format: one compact JSON object per run, cheap to write and cheap to skip when reading.
//
//   {"t":1765000501,"c":{"nginx":["O",null,"active (running)"],"django-api":["C",35,"HTTP 502 Bad Gateway"],
//    "disk":["W",null,"83.1% used on /",{"/":83.1}]}}
//
// t is the run's start in epoch seconds and always comes first, so a reader can skip a line outside its window
// without parsing it. Per check: [level letter, response time ms or null, message, metrics?].
import type { Level } from '../levels.js';
import type { CheckResult } from '../types.js';

/** One check in one run, as stored: [level letter, response time ms or null, message, metrics?]. */
export type Cell = [letter: string, ms: number | null, message: string, metrics?: Record<string, number>];

/** One run as read back. Cells stay the parsed arrays: 500,000 of them are read for a 90-day report. */
export interface HistoryRun {
  /** Run start, epoch seconds. */
  t: number;
  c: Record<string, Cell>;
}

const LETTER: Record<Level, string> = { OK: 'O', WARNING: 'W', CRITICAL: 'C', UNKNOWN: 'U' };
const LEVEL_OF: Record<string, Level> = { O: 'OK', W: 'WARNING', C: 'CRITICAL', U: 'UNKNOWN' };
/** Messages are one line for people; a runaway plugin output must not bloat every line. */
const MAX_MESSAGE = 200;

export function encodeRun(t: Date, results: readonly CheckResult[]): string {
  const cells: Record<string, Cell> = {};
  for (const result of results) {
    const message =
      result.message.length > MAX_MESSAGE ? `${result.message.slice(0, MAX_MESSAGE - 1)}…` : result.message;
    const cell: Cell = [LETTER[result.level], result.responseTimeMs ?? null, message];
    const metrics = metricsOf(result);
    if (metrics) cell.push(metrics);
    cells[result.name] = cell;
  }
  return `{"t":${Math.floor(t.getTime() / 1000)},"c":${JSON.stringify(cells)}}\n`;
}

/** The check's performance data as {label: value}; a time-in-seconds datum repeating the response time is left out. */
function metricsOf(result: CheckResult): Record<string, number> | undefined {
  let metrics: Record<string, number> | undefined;
  for (const datum of result.perf ?? []) {
    if (!Number.isFinite(datum.value)) continue;
    if (datum.uom === 's' && result.responseTimeMs !== undefined) continue;
    (metrics ??= {})[datum.label] = datum.value;
  }
  return metrics;
}

/** The run's time without parsing the line (NaN when the line does not start the expected way). */
export function peekTime(line: string): number {
  if (!line.startsWith('{"t":')) return NaN;
  const comma = line.indexOf(',', 5);
  return comma < 0 ? NaN : Number(line.slice(5, comma));
}

/** The level of a stored cell, or undefined for a cell this version cannot read (it is then left out). */
export function levelOf(cell: Cell): Level | undefined {
  return Array.isArray(cell) ? LEVEL_OF[cell[0]] : undefined;
}

/** A parsed line, or undefined for a torn or foreign one (the caller counts and skips it). */
export function decodeRun(line: string): HistoryRun | undefined {
  let raw: { t?: unknown; c?: unknown };
  try {
    raw = JSON.parse(line) as typeof raw;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw.t !== 'number' || !raw.c || typeof raw.c !== 'object') return undefined;
  return raw as HistoryRun;
}
