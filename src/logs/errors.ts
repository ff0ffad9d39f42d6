// `logs errors`: ERROR/CRITICAL/Traceback lines of the last N hours across the sources, merged by time, newest last.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { lineTime } from './line-time.js';
import { isGzip } from './rotation.js';
import type { FileInfo, LogSources } from './sources.js';
import { codeOf, messageOf } from '../util/errors.js';

// Upper-case level words as Python, gunicorn, Java and our own log write them; nginx's bracketed lower-case levels;
// logfmt and JSON level fields; Python's traceback header. Plain "error" in a URL or a message is not a level.
const ERROR_LINE =
  /\b(?:ERROR|CRITICAL|FATAL|EMERG(?:ENCY)?|ALERT)\b|\[(?:error|crit|alert|emerg)\]|\blevel=(?:error|critical|fatal)\b|"level"\s*:\s*"(?:error|critical|fatal)"|^Traceback \(most recent call last\)/;
const TRACEBACK = /^Traceback \(most recent call last\)/;
const MAX_TEXT = 1000;

export interface ErrorLine {
  /** Epoch ms: the line's own timestamp, or the last one above it (a traceback's lines carry none). */
  time: number;
  file: string;
  line: number;
  text: string;
}

export interface ErrorScan {
  entries: ErrorLine[];
  /** Files read (live logs and the rotated copies written to inside the window). */
  files: string[];
  /** Files with error lines that carry no timestamp we can read (nor one above them): they cannot be placed in time. */
  untimed: { path: string; lines: number }[];
  /** Files that could not be read, with why. */
  unreadable: { path: string; reason: string }[];
}

/** Scan every live log, and every rotated copy last written inside the window (a rotation may have cut it in two). */
export async function scanErrors(sources: LogSources, sinceMs: number, now: Date = new Date()): Promise<ErrorScan> {
  const files: FileInfo[] = [];
  for (const log of sources.logs) {
    if (!log.missing && log.mtimeMs >= sinceMs) files.push(log);
    for (const copy of log.rotated)
      if (copy.mtimeMs >= sinceMs && (isGzip(copy.path) || !/\.(bz2|xz|zst|lz4|Z|zip)$/.test(copy.path)))
        files.push(copy);
  }
  const scan: ErrorScan = { entries: [], files: files.map((f) => f.path), untimed: [], unreadable: [] };
  const perFile = await Promise.all(
    files.map(async (file, order) => {
      try {
        const { entries, untimed } = await scanFile(file.path, sinceMs, now);
        if (untimed > 0) scan.untimed.push({ path: file.path, lines: untimed });
        return entries.map((entry) => ({ entry, order }));
      } catch (error) {
        scan.unreadable.push({ path: file.path, reason: codeOf(error) ?? messageOf(error) });
        return [];
      }
    }),
  );
  // Merge by time; equal times keep file order and line order, so a traceback stays in one piece.
  scan.entries = perFile
    .flat()
    .sort((a, b) => a.entry.time - b.entry.time || a.order - b.order || a.entry.line - b.entry.line)
    .map(({ entry }) => entry);
  return scan;
}

async function scanFile(path: string, sinceMs: number, now: Date): Promise<{ entries: ErrorLine[]; untimed: number }> {
  const raw = createReadStream(path);
  const input = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  const failed = new Promise<never>((_resolve, reject) => {
    raw.once('error', reject);
    input.once('error', reject);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const entries: ErrorLine[] = [];
  let current: number | undefined;
  let untimed = 0;
  let number = 0;
  // A traceback's header found; its closing line (`ValueError: bad input`) is added to it when it comes.
  let traceback: ErrorLine | undefined;
  const reading = (async () => {
    for await (const text of lines) {
      number++;
      const own = lineTime(text, now);
      if (own !== undefined) current = own;
      if (traceback) {
        if (
          own === undefined &&
          text.trim() &&
          !/^\s/.test(text) &&
          !/^(During handling|The above exception)/.test(text)
        ) {
          traceback.text = clip(`${traceback.text} … ${text.trim()}`);
          traceback = undefined;
          continue;
        }
        if (own !== undefined) traceback = undefined;
      }
      if (!ERROR_LINE.test(text)) continue;
      if (current === undefined) {
        untimed++;
        continue;
      }
      if (current < sinceMs) continue;
      const entry = { time: current, file: path, line: number, text: clip(text.trim()) };
      entries.push(entry);
      if (TRACEBACK.test(text)) traceback = entry;
    }
  })();
  await Promise.race([reading, failed]);
  return { entries, untimed };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
