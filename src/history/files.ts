// Where history lives and how its files are named: one file per UTC day, with numbered parts when a day is rotated.
//
//   state_dir/history/2025-12-06.jsonl      today's live file (appended to)
//   state_dir/history/2025-12-06.1.jsonl    the part rotated out when it passed max_file_size (older than the live one)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf } from '../util/errors.js';

const DAY_MS = 86_400_000;
const NAME = /^(\d{4}-\d\d-\d\d)(?:\.(\d+))?\.jsonl$/;

export interface HistoryFile {
  path: string;
  /** UTC day the file's runs belong to, as epoch ms of its midnight. */
  dayStart: number;
  /** 0 for the live file, 1, 2, … for rotated parts (lower is older). */
  part: number;
}

export function historyDir(stateDir: string): string {
  return join(stateDir, 'history');
}

/** `2025-12-06` for the UTC day of `ms`. */
export function dayName(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function liveFile(dir: string, ms: number): string {
  return join(dir, `${dayName(ms)}.jsonl`);
}

export function partFile(dir: string, day: string, part: number): string {
  return join(dir, `${day}.${part}.jsonl`);
}

/** Every history file in `dir`, oldest first (a day's parts before its live file); a missing dir is empty. */
export function listHistory(dir: string): HistoryFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    // no history yet, or state_dir is not a directory (the run already says so)
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const files: HistoryFile[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const dayStart = Date.parse(`${match[1]}T00:00:00Z`);
    if (Number.isNaN(dayStart)) continue;
    files.push({ path: join(dir, name), dayStart, part: match[2] ? Number(match[2]) : 0 });
  }
  // the live file (part 0) holds the newest lines of its day
  const order = (f: HistoryFile) => (f.part === 0 ? Number.MAX_SAFE_INTEGER : f.part);
  return files.sort((a, b) => a.dayStart - b.dayStart || order(a) - order(b));
}

/** True when a file of that day can hold runs at or after `fromMs`. */
export function mayHoldFrom(file: HistoryFile, fromMs: number): boolean {
  return file.dayStart + DAY_MS > fromMs;
}

export { DAY_MS };
