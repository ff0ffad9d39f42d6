// The last N lines of one log file, read from its end (at most MAX_TAIL_BYTES), opened without following a symlink
// and only if it is still the very file that was listed (same device and inode).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileInfo } from '../logs/sources.js';

export const MAX_TAIL_BYTES = 1024 * 1024;

export interface Tail {
  lines: string[];
  /** True when the file holds more than was read (the first lines read may be fewer than asked). */
  truncated: boolean;
  size: number;
}

export function tailFile(file: FileInfo, count: number, maxBytes = MAX_TAIL_BYTES): Tail {
  const fd = openSync(file.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('is not a regular file');
    if (stat.dev !== file.dev || stat.ino !== file.ino) throw new Error('was replaced since it was listed');
    const length = Math.min(stat.size, maxBytes);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, stat.size - length + read);
      if (n === 0) break;
      read += n;
    }
    let text = buffer.subarray(0, read).toString('utf8');
    // Started mid-file: the first line is a fragment.
    if (length < stat.size) text = text.slice(text.indexOf('\n') + 1);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { lines: lines.slice(-count), truncated: length < stat.size, size: stat.size };
  } finally {
    closeSync(fd);
  }
}
