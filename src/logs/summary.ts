// `logs summary`: per live log its size, line count, last write and rotated copies.
import { createReadStream } from 'node:fs';
import type { LiveLog, LogSources } from './sources.js';
import { codeOf, messageOf } from '../util/errors.js';

export interface LogSummary {
  log: LiveLog;
  /** Undefined for a missing live log, or when it could not be read (then `problem` says why). */
  lines?: number;
  problem?: string;
  rotatedBytes: number;
}

/** Newlines in the file, plus one for a last line without its newline (what `wc -l` would miss). */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === 0x0a ? lines : lines + 1;
}

export async function summarizeLogs(sources: LogSources): Promise<LogSummary[]> {
  return Promise.all(
    sources.logs.map(async (log) => {
      const rotatedBytes = log.rotated.reduce((sum, copy) => sum + copy.size, 0);
      if (log.missing) return { log, rotatedBytes };
      try {
        return { log, rotatedBytes, lines: await countLines(log.path) };
      } catch (error) {
        return { log, rotatedBytes, problem: codeOf(error) ?? messageOf(error) };
      }
    }),
  );
}
