// Reads a log file backwards from its end in chunks, counting entries that match, until an entry older than the window.
import { open, type FileHandle } from 'node:fs/promises';
import { detectTimestamp, lineHead, voteFormat, type TimestampFormat } from './log-timestamps.js';

const CHUNK = 64 * 1024;
/** A single line longer than this is cut (its start, where the timestamp is, is kept). */
const MAX_LINE = 1024 * 1024;
/** With no recognisable timestamp in this much of the end of the file, give up: the format is not one we know. */
const MAX_BYTES_WITHOUT_TIMESTAMP = 4 * 1024 * 1024;

export interface ScanOptions {
  /** Epoch ms: entries stamped before this are outside the window. */
  since: number;
  now: Date;
  matches: (line: string) => boolean;
  signal: AbortSignal;
}

export interface ScanResult {
  /** Entries (a timestamped line plus the lines without a timestamp under it) in the window with a matching line. */
  count: number;
  /** The newest matching line. */
  latest?: string;
  /** The timestamp format found, or undefined when no line had one we know. */
  format?: string;
  bytesRead: number;
  /** True when the scan stopped on its own limit without finding any timestamp. */
  gaveUp: boolean;
}

export async function scanBackwards(path: string, options: ScanOptions): Promise<ScanResult> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const state = new EntryCounter(options, await sampleFormat(file, size, options.now));
    let position = size;
    // The part of a line whose start lies in a chunk not read yet.
    let carry = Buffer.alloc(0);
    let bytesRead = 0;
    const buffer = Buffer.allocUnsafe(CHUNK);

    while (position > 0) {
      if (options.signal.aborted) throw options.signal.reason;
      const length = Math.min(CHUNK, position);
      position -= length;
      const { bytesRead: got } = await file.read(buffer, 0, length, position);
      bytesRead += got;
      const data = carry.length ? Buffer.concat([buffer.subarray(0, got), carry]) : buffer.subarray(0, got);
      // Lines from the end of `data` back to its first newline are complete; what lies before it waits for the next chunk.
      let end = data.length;
      let newline = data.lastIndexOf(0x0a, end - 1);
      while (newline >= 0) {
        if (state.line(data.toString('utf8', newline + 1, end))) return state.result(bytesRead, false);
        end = newline;
        newline = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1;
      }
      carry = Buffer.from(data.subarray(0, Math.min(end, MAX_LINE)));
      if (!state.sawTimestamp && bytesRead >= MAX_BYTES_WITHOUT_TIMESTAMP) return state.result(bytesRead, true);
    }
    // The first line of the file.
    if (carry.length) state.line(carry.toString('utf8'));
    return state.result(bytesRead, false);
  } finally {
    await file.close();
  }
}

/**
 * The file's timestamp format, voted by the lines of its last chunk. Deciding on the newest line alone would let a
 * traceback's last line (`ValueError: bad date 2024-01-01T00:00:00`) pass for an old entry and end the scan there.
 */
async function sampleFormat(file: FileHandle, size: number, now: Date): Promise<TimestampFormat | undefined> {
  const length = Math.min(size, CHUNK);
  if (length === 0) return undefined;
  const sample = Buffer.allocUnsafe(length);
  const { bytesRead } = await file.read(sample, 0, length, size - length);
  const lines = sample.toString('utf8', 0, bytesRead).split('\n');
  if (length < size) lines.shift(); // cut in the middle
  return voteFormat(lines, now);
}

/** Entries seen newest first: lines without a timestamp belong to the next older timestamped line (tracebacks). */
class EntryCounter {
  count = 0;
  latest: string | undefined;
  sawTimestamp = false;
  /** A line below the current entry's head (not yet known to be in the window) matched. */
  private pendingMatch: string | undefined;

  /** `format` from the vote; without one, the first line that fits a format decides it. */
  constructor(
    private readonly options: ScanOptions,
    private format: TimestampFormat | undefined,
  ) {}

  /** Takes the next older line; true when the scan can stop (an entry older than the window). */
  line(text: string): boolean {
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const at = this.timestampOf(text);
    if (at === undefined) {
      // Going up, the last match kept is the entry's first matching line in reading order.
      if (this.options.matches(text)) this.pendingMatch = text;
      return false;
    }
    if (at < this.options.since) return true;
    const matched = this.options.matches(text) ? text : this.pendingMatch;
    this.pendingMatch = undefined;
    if (matched !== undefined) {
      this.count++;
      // The newest entry is met first; of its lines, show the head when it matched, else the first matching line.
      this.latest ??= matched;
    }
    return false;
  }

  result(bytesRead: number, gaveUp: boolean): ScanResult {
    return {
      count: this.count,
      ...(this.latest !== undefined ? { latest: this.latest } : {}),
      ...(this.format ? { format: this.format.name } : {}),
      bytesRead,
      gaveUp,
    };
  }

  private timestampOf(text: string): number | undefined {
    if (this.format) {
      const head = lineHead(text);
      const at = head === undefined ? undefined : this.format.parse(head, this.options.now);
      if (at !== undefined) this.sawTimestamp = true;
      return at;
    }
    const found = detectTimestamp(text, this.options.now);
    if (!found) return undefined;
    this.format = found.format;
    this.sawTimestamp = true;
    return found.at;
  }
}
