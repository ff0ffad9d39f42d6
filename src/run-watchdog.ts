// The run's last resort: a tiny worker thread that ends the process just before deadline + 1 s (docs/reliability.md).
import { Worker } from 'node:worker_threads';

/** What the process says and returns if the watchdog has to end it. */
export interface LastWords {
  /** For stdout (the `--format nagios` line), or empty. */
  stdout: string;
  /** For stderr: the one-line reason. */
  stderr: string;
  /** For the run's log, without stamp and word (written as an ERROR line). */
  log: string;
  /** The exit code it should end with (see docs/reliability.md for when it can only be killed). */
  code: number;
}

export interface Watchdog {
  /** Replace what it would say (once the checks are decided, their level is known). */
  update(words: LastWords): void;
  /** The run is done and about to exit by itself. */
  disarm(): void;
}

export interface WatchdogOptions {
  /** performance.now() value at which it ends the process. */
  firesAt: number;
  /** The run's log file; appended to only if it exists, never followed through a symlink. */
  logFile: string;
  words: LastWords;
}

// A separate thread has its own event loop: a main thread spinning in a client library's synchronous loop cannot
// starve its timer. Ending the process from it is the hard part: `process.exit` in a worker stops only the worker.
// Through the inspector the worker asks V8 to run `process.reallyExit(code)` on the main thread; V8 runs it as an
// interrupt, even inside a busy loop, and the exit code is ours. If the main thread sits in a blocking system call
// (a synchronous read, a full pipe) no interrupt runs: 150 ms later the worker sends SIGKILL (exit status 137).
// fd 2 is closed before the inspector exit, which otherwise prints "Waiting for the debugger to disconnect...".
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
let words = workerData.words;
parentPort.on('message', (next) => { words = next; });
const pad = (n) => String(n).padStart(2, '0');
const stamp = (d) => d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
const attempt = (fn) => { try { fn(); } catch {} };
setTimeout(() => {
  attempt(() => { if (words.stdout) fs.writeSync(1, words.stdout); });
  attempt(() => fs.writeSync(2, words.stderr));
  attempt(() => {
    const c = fs.constants;
    const fd = fs.openSync(workerData.logFile, c.O_WRONLY | c.O_APPEND | c.O_NOFOLLOW);
    try { fs.writeSync(fd, '[' + stamp(new Date()) + '] ERROR: ' + words.log + '\\n'); } finally { fs.closeSync(fd); }
  });
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 150);
  attempt(() => fs.closeSync(2));
  attempt(() => {
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: 'process.reallyExit(' + Number(words.code) + ')' });
  });
}, Math.max(0, workerData.firesAt - performance.now() - (performance.timeOrigin - workerData.timeOrigin)));
`;

/** Start the watchdog thread. It never keeps the process alive, and costs nothing while it waits. */
export function armWatchdog(options: WatchdogOptions): Watchdog {
  // A failure of the watchdog itself must not become the run's failure: the run simply has no last resort then.
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        firesAt: options.firesAt,
        timeOrigin: performance.timeOrigin,
        logFile: options.logFile,
        words: options.words,
      },
      // It needs next to nothing; a small heap keeps its memory out of the run's budget.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2, stackSizeMb: 1 },
    });
  } catch {
    return { update: () => {}, disarm: () => {} };
  }
  worker.unref();
  worker.on('error', () => {});
  return {
    update: (words) => worker.postMessage(words),
    disarm: () => void worker.terminate(),
  };
}
