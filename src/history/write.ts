// Appends one line per run to state_dir/history/, rotates a day's file by size and deletes days past the retention.
//
// Plain node:fs, not pino + pino-roll: this runs on every cron run, whose whole budget is ~1.15 × `node -e 0`
// (~83 ms here, so ~12 ms to spend); pino adds ~27 ms and pino + pino-roll ~120 ms to a process, node:fs nothing
// measurable (bench/history-append.mjs). One O_APPEND write per line means a power cut can only tear the file's last
// line, which readers skip.
import { say } from '../i18n/index.js';
import { closeSync, fstatSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { StepContext } from '../run-context.js';
import { DAY_MS, dayName, historyDir, listHistory, liveFile, partFile } from './files.js';
import { encodeRun } from './line.js';
import { messageOf } from '../util/errors.js';
import { openAppend } from '../util/safe-file.js';

export interface AppendOptions {
  nowMs: number;
  maxFileSize: number;
  retentionMs: number;
}

/** The history step of a run (see run-steps.ts). */
export async function recordRun(ctx: StepContext): Promise<void> {
  if (ctx.results.length === 0) return;
  const { history, state_dir } = ctx.config;
  appendHistory(historyDir(state_dir), encodeRun(ctx.now, ctx.results), {
    nowMs: ctx.now.getTime(),
    maxFileSize: history.max_file_size,
    retentionMs: history.retention,
  });
}

export function appendHistory(dir: string, line: string, options: AppendOptions): void {
  const path = liveFile(dir, options.nowMs);
  let size: number;
  try {
    // O_NOFOLLOW, one name, 0640 on the descriptor; state_dir and history/ 0750 (docs/files.md)
    const fd = openAppend(path, { mode: 0o640, dirMode: 0o750, read: true });
    try {
      size = fstatSync(fd).size;
      // A torn last line (power cut mid-write) has no newline: start ours on a fresh line so only that one is lost.
      const text = size > 0 && !endsWithNewline(fd, size) ? `\n${line}` : line;
      size += writeAll(fd, Buffer.from(text));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new Error(say.run.historyUnwritable(path, messageOf(error)));
  }
  if (size > options.maxFileSize) rotate(dir, path, options.nowMs);
  // A new day's file was just started: the moment to let go of days past the retention (once a day, not every run).
  if (size === Buffer.byteLength(line)) prune(dir, options.nowMs - options.retentionMs);
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

function writeAll(fd: number, buffer: Buffer): number {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done);
  return done;
}

/** Move the live file aside as the day's next numbered part; the next run starts a new live file. */
function rotate(dir: string, path: string, nowMs: number): void {
  const day = dayName(nowMs);
  const parts = listHistory(dir).filter((file) => dayName(file.dayStart) === day && file.part > 0);
  const next = Math.max(0, ...parts.map((file) => file.part)) + 1;
  try {
    renameSync(path, partFile(dir, day, next));
  } catch (error) {
    throw new Error(say.run.historyNotRotated(path, messageOf(error)));
  }
}

/** Delete every file whose whole day ended before `cutoffMs`. */
export function prune(dir: string, cutoffMs: number): string[] {
  const removed: string[] = [];
  const failed: string[] = [];
  for (const file of listHistory(dir)) {
    if (file.dayStart + DAY_MS > cutoffMs) continue;
    try {
      rmSync(file.path, { force: true });
      removed.push(file.path);
    } catch (error) {
      failed.push(`${file.path} (${messageOf(error)})`);
    }
  }
  if (failed.length > 0) throw new Error(say.run.historyNotPruned(failed));
  return removed;
}
