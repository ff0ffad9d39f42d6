// serve's own access log: one JSON line per request (pino), in a file pino-roll starts afresh every day and keeps for
// 14 days — a long-running process rolls its own file instead of relying on logrotate's copytruncate.
import type { Logger } from 'pino';
import { codeOf, messageOf } from '../util/errors.js';

export interface AccessEntry {
  id: string;
  method: string;
  route: string;
  status: number;
  ms: number;
  remote: string | undefined;
}

export interface AccessLog {
  /** Where the lines go: the first file, or "stderr" when the file could not be opened. */
  where: string;
  write(entry: AccessEntry): void;
  /** Flush and close, within `budgetMs`. */
  close(budgetMs?: number): Promise<void>;
}

/** Today's file and 13 before it: 14 days. */
const KEEP_FILES = 13;

/**
 * Files are named like `serve.2026-12-01.1.log` beside `path` (pino-roll adds the date and a number). A file that
 * cannot be opened is the program's own problem, said once through `onProblem`: the lines then go to stderr (the
 * journal under systemd) and serving goes on.
 */
export async function openAccessLog(path: string, onProblem: (message: string) => void): Promise<AccessLog> {
  const pino = (await import('pino')).default;
  const options = {
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  let stream: import('sonic-boom').SonicBoom;
  let where = path;
  try {
    const pinoRoll = (await import('pino-roll')).default;
    stream = await pinoRoll({
      file: path,
      frequency: 'daily',
      dateFormat: 'yyyy-MM-dd',
      limit: { count: KEEP_FILES, removeOtherLogFiles: true },
      mkdir: true,
      mode: 0o640,
      // Lines are gathered into 4 KiB writes (flushed every second when traffic is light): one write per request
      // cost a fifth of the throughput (bench/serve.mjs).
      minLength: 4096,
    });
  } catch (error) {
    onProblem(
      `cannot open the access log ${path}: ${codeOf(error) ?? messageOf(error)}; writing it to stderr instead (set serve.access_log to a writable place)`,
    );
    stream = pino.destination({ fd: 2, sync: false });
    where = 'stderr';
  }
  let failed = false;
  stream.on('error', (error: Error) => {
    // A full disk must not end the server: said once, and the lines are dropped until it can write again.
    if (!failed) onProblem(`cannot write the access log ${where}: ${codeOf(error) ?? messageOf(error)}`);
    failed = true;
  });
  const logger: Logger = pino(options, stream);
  const flusher = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // a flush while another is under way: the next tick catches up
    }
  }, 1000).unref();
  return {
    where,
    write(entry) {
      logger.info({
        req_id: entry.id,
        method: entry.method,
        route: entry.route,
        status: entry.status,
        duration_ms: entry.ms,
        remote: entry.remote,
      });
    },
    close(budgetMs = 500) {
      clearInterval(flusher);
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, budgetMs);
        try {
          stream.flushSync();
        } catch {
          // nothing buffered, or the file is gone: nothing more to save
        }
        stream.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        stream.end();
      });
    },
  };
}
