// The log file of docs/reference.md#the-log-file: `[YYYY-MM-DD HH:MM:SS] LEVEL: text`, appended, 0644, reopened on every run.
import { closeSync, writeSync } from 'node:fs';
import type { Level } from './levels.js';
import { maskText } from './util/mask.js';
import { openAppend } from './util/safe-file.js';
import { localStamp } from './util/time.js';
import { codeOf, messageOf } from './util/errors.js';
import { say } from './i18n/index.js';

export type LogWord = 'INFO' | 'SUCCESS' | 'WARNING' | 'ERROR';

/** SUCCESS for OK, WARNING, and ERROR for both CRITICAL and UNKNOWN, so `grep ERROR` finds every failing check. */
export function logWordFor(level: Level): LogWord {
  return level === 'OK' ? 'SUCCESS' : level === 'WARNING' ? 'WARNING' : 'ERROR';
}

export function formatLogLine(when: Date, word: LogWord, text: string): string {
  // One event, one line: a newline inside a message would break `grep` and line-based tools.
  return `[${localStamp(when)}] ${word}: ${maskText(text).replace(/\s*[\r\n]+\s*/g, ' ')}\n`;
}

export interface RunLog {
  write(word: LogWord, text: string, when?: Date): void;
  close(): void;
}

/**
 * Open the log for this run. If it cannot be written, the run goes on: `onProblem` is told once why, and
 * later lines are dropped.
 */
export function openRunLog(
  path: string,
  onProblem: (message: string) => void,
  clock: () => Date = () => new Date(),
): RunLog {
  let fd: number | undefined;
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    const code = codeOf(error);
    onProblem(say.run.logUnwritable(path, messageOf(error), code === 'EACCES' || code === 'EPERM'));
  };
  try {
    // O_NOFOLLOW, one name, mode 0644 set on the descriptor (a umask would narrow it): docs/files.md
    fd = openAppend(path, { mode: 0o644, dirMode: 0o755 });
  } catch (error) {
    fail(error);
  }
  return {
    write(word, text, when = clock()) {
      if (fd === undefined) return;
      try {
        writeSync(fd, formatLogLine(when, word, text));
      } catch (error) {
        fail(error);
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
