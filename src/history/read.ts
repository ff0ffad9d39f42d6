// Reads the run history back for reports and the status page: the runs inside a time window, oldest first.
import { listHistory, mayHoldFrom } from './files.js';
import { decodeRun, peekTime, type HistoryRun } from './line.js';
import { readOwnFile } from '../util/safe-file.js';

export interface ReadOptions {
  /** Window start and end, epoch ms (inclusive). */
  fromMs: number;
  toMs: number;
}

export interface ReadStats {
  /** Files opened, and lines that could not be read (a torn last line after a power cut, a hand edit). */
  files: number;
  skipped: number;
}

export interface HistoryRead extends ReadStats {
  runs: HistoryRun[];
}

/** Every run inside the window, oldest first, collected (fine for days; use forEachRun for months). */
export function readHistory(dir: string, options: ReadOptions): HistoryRead {
  const runs: HistoryRun[] = [];
  const stats = forEachRun(dir, options, (run) => runs.push(run));
  // Files are in order and lines are appended in order; only a clock stepped back by hand can disorder them.
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.t < runs[i - 1]!.t) {
      runs.sort((a, b) => a.t - b.t);
      break;
    }
  }
  return { runs, ...stats };
}

/** Far above any `max_file_size` (a day's file rotates past it), and below what one JS string can hold. */
const MAX_HISTORY_FILE_BYTES = 256 << 20;

/**
 * Hand each run inside the window to `visit`, in file order, without keeping them: 90 days of 20 checks is
 * 500,000 results, and letting each line's objects die young is what keeps that read well under a second.
 */
export function forEachRun(dir: string, options: ReadOptions, visit: (run: HistoryRun) => void): ReadStats {
  const from = Math.floor(options.fromMs / 1000);
  const to = Math.floor(options.toMs / 1000);
  let files = 0;
  let skipped = 0;
  for (const file of listHistory(dir)) {
    if (!mayHoldFrom(file, options.fromMs) || file.dayStart > options.toMs) continue;
    // no symlink followed, no file bigger than a string can hold (docs/files.md); undefined: rotated or pruned by a
    // run between listing and reading
    const text = readOwnFile(file.path, MAX_HISTORY_FILE_BYTES);
    if (text === undefined) continue;
    files++;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const line = text.slice(start, end);
        const t = peekTime(line);
        // lines outside the window are skipped unparsed; that is most of a file when the window is short
        if (!(t < from || t > to)) {
          const run = decodeRun(line);
          if (run && run.t >= from && run.t <= to) visit(run);
          else if (!run) skipped++;
        }
      }
      start = end + 1;
    }
  }
  return { files, skipped };
}
