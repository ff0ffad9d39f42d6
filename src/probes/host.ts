// The main thread's side of a probe: runs one job in its own worker thread with a small heap, terminates it when the
// check is stopped (timeout, deadline, SIGTERM) or when it spins, and turns its death into a one-line result.
// Why one worker per check, and what it costs: docs/checks-timing.md ("Where the datastore clients run").
import { say } from '../i18n/index.js';
import type { Worker } from 'node:worker_threads';
import type { Level } from '../levels.js';
import { messageOf } from '../util/errors.js';
import { maskText } from '../util/mask.js';
import type { ProbeJob, ProbeMessage, ProbeReply } from './protocol.js';
import { slots } from './slots.js';
import { runTcpJob } from './tcp-worker.js';
import { quietMoment, quietWaitFor, warmingUp } from './warm-gate.js';
import { startProbeWorker } from './worker-entry.js';

/** The worker's heap: enough for pg or node-redis and one answer; a flood that gets past the byte cap dies here. */
export const PROBE_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8, stackSizeMb: 2 } as const;

/** A worker whose event loop was busy this share of the time for SPIN_WINDOWS windows in a row is stuck in a loop. */
const SPIN_WINDOW_MS = 500;
const SPIN_WINDOWS = 2;
const SPIN_SHARE = 0.95;

/** The worker ended without a reply: CRITICAL when the peer made its client fail, UNKNOWN when ours never started. */
export interface ProbeDeath {
  level: Extract<Level, 'CRITICAL' | 'UNKNOWN'>;
  /** One line, masked, starting with the label (`postgres: peer sent a malformed message (…)`). */
  reason: string;
  /** The first line of the exception the client library threw, when that is how the worker ended (masked). */
  thrown?: string;
}

export type ProbeOutcome = { reply: ProbeReply; died?: undefined } | { died: ProbeDeath; reply?: undefined };

export interface ProbeOptions {
  /** The check's signal: when it aborts, the worker is terminated and runProbe rejects with the signal's reason. */
  signal: AbortSignal;
  /** Names the client in death messages: `postgres`, `redis`, `tcp`. */
  label: string;
  /** The check's timeout: the quiet-moment wait before the clock starts takes at most a tenth of it (warm-gate.ts). */
  timeoutMs?: number;
}

function firstLine(error: unknown): string {
  const text = messageOf(error).split('\n')[0]!.trim();
  return maskText(text.length > 120 ? `${text.slice(0, 117)}…` : text);
}

/**
 * Isolated workers alive at once: each costs 15 (pg) to 30 (redis) MiB of RSS and may grow to its heap limit, so a
 * config with 100 datastore checks must not start 100 of them together. Waiting for a slot is not the peer's time
 * (the clock starts in the worker) but does count against the check's timeout, like any other wait.
 */
export const PROBE_WORKERS_AT_ONCE = 4;
const isolated = slots(PROBE_WORKERS_AT_ONCE);

/**
 * Runs `job` in a worker: tcp in the run's shared tcp worker, postgres and redis each in a fresh one of its own.
 * Resolves with the worker's reply, or with how it died; rejects only with `signal.reason` when the check was
 * stopped. Never leaves an isolated worker running.
 */
export async function runProbe(job: ProbeJob, options: ProbeOptions): Promise<ProbeOutcome> {
  if (options.signal.aborted) throw options.signal.reason;
  if (job.kind === 'tcp') return runTcpJob(job, options);
  const release = await isolated.take(options.signal);
  try {
    const warm = warmingUp();
    try {
      const worker = await startProbeWorker({
        workerData: job,
        resourceLimits: PROBE_LIMITS,
        name: `probe-${job.kind}`,
      });
      return await runIsolated(worker, warm, options);
    } finally {
      warm.done();
    }
  } finally {
    release();
  }
}

function runIsolated(worker: Worker, warm: ReturnType<typeof warmingUp>, options: ProbeOptions): Promise<ProbeOutcome> {
  const { signal, label } = options;
  if (signal.aborted) {
    void worker.terminate();
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    let ready = false;
    let settled = false;
    let spinTimer: NodeJS.Timeout | undefined;

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(spinTimer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const died = (level: ProbeDeath['level'], reason: string, thrown?: string) =>
      finish(() => resolve({ died: { level, reason, ...(thrown === undefined ? {} : { thrown }) } }));
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });

    // A client stuck in a synchronous loop never posts again; its thread's busy share says so long before the timeout.
    const watchForSpin = () => {
      let last = worker.performance.eventLoopUtilization();
      let busyWindows = 0;
      spinTimer = setInterval(() => {
        const now = worker.performance.eventLoopUtilization();
        const share = worker.performance.eventLoopUtilization(now, last).utilization;
        last = now;
        busyWindows = share >= SPIN_SHARE ? busyWindows + 1 : 0;
        if (busyWindows >= SPIN_WINDOWS) {
          died('CRITICAL', say.check.probe.spinning(label, (SPIN_WINDOW_MS * SPIN_WINDOWS) / 1000));
        }
      }, SPIN_WINDOW_MS);
      spinTimer.unref();
    };

    worker.on('message', (message: ProbeMessage) => {
      if (message.type === 'ready') {
        ready = true;
        warm.done();
        watchForSpin();
        // The worker waits for "go" to start its clock: not while other workers of the run are still starting.
        void quietMoment(warm.promise, quietWaitFor(options.timeoutMs)).then(() => settled || worker.postMessage('go'));
      } else if (message.type === 'reply') {
        finish(() => resolve({ reply: message.reply }));
      } else if (message.type === 'failed') {
        died('UNKNOWN', say.check.probe.failed(label, maskText(message.message)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        died('CRITICAL', say.check.probe.heapOut(label, PROBE_LIMITS.maxOldGenerationSizeMb));
      } else if (!ready) {
        // Our side failed before the clock could start (module missing, bad build): the program's problem.
        died('UNKNOWN', say.check.probe.cannotStart(label, firstLine(error)));
      } else {
        died('CRITICAL', say.check.probe.malformed(label, firstLine(error)), firstLine(error));
      }
    });
    worker.on('exit', (code) => {
      died(ready ? 'CRITICAL' : 'UNKNOWN', say.check.probe.noAnswer(label, code));
    });
  });
}
