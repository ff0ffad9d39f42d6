// The run's one tcp worker: tcp connects are timed in a thread of their own, so the main thread's work (other checks
// starting, modules loading) is not charged to the peer. Started on the first tcp check, never keeps the process
// alive, and ends once idle. A tcp connect parses nothing a peer sends, so checks can share it (docs/checks-timing.md).
import type { Worker } from 'node:worker_threads';
import type { ProbeOptions, ProbeOutcome } from './host.js';
import type { ProbeReply, TcpJob } from './protocol.js';
import { messageOf } from '../util/errors.js';
import { quietMoment, quietWaitFor, warmingUp } from './warm-gate.js';
import { startProbeWorker } from './worker-entry.js';

/** Idle this long, the worker ends (in serve, a run every few minutes need not keep a thread). */
const IDLE_MS = 2000;

interface Shared {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, (outcome: ProbeOutcome) => void>;
  idleTimer?: NodeJS.Timeout;
}

let shared: Promise<Shared> | undefined;
/** The worker `shared` resolved to, while it is the one in use. */
let current: Shared | undefined;
let nextId = 0;

async function start(): Promise<Shared> {
  const warm = warmingUp();
  const worker = await startProbeWorker({
    workerData: { shared: 'tcp' },
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4, stackSizeMb: 2 },
    name: 'probe-tcp',
  });
  worker.unref();
  const me: Shared = {
    worker,
    pending: new Map(),
    ready: warm.promise,
  };
  worker.once('message', warm.done);
  worker.on('message', (message: { id?: number; reply?: ProbeReply }) => {
    if (message.id === undefined || !message.reply) return;
    me.pending.get(message.id)?.({ reply: message.reply });
    me.pending.delete(message.id);
    idleCheck(me);
  });
  const gone = (why: string) => {
    warm.done();
    if (current === me) {
      shared = undefined;
      current = undefined;
    }
    for (const settle of me.pending.values()) settle({ died: { level: 'UNKNOWN', reason: `tcp: ${why}` } });
    me.pending.clear();
  };
  worker.on('error', (error) => gone(`the tcp worker failed: ${messageOf(error).split('\n')[0]}`));
  worker.on('exit', (code) => gone(`the tcp worker stopped (exit code ${code})`));
  return me;
}

/** While a check waits on it the worker holds the process open; idle, it never does, and ends after IDLE_MS. */
function idleCheck(me: Shared): void {
  clearTimeout(me.idleTimer);
  if (me.pending.size > 0) return;
  me.worker.unref();
  me.idleTimer = setTimeout(() => {
    if (me.pending.size === 0 && current === me) {
      shared = undefined;
      current = undefined;
      void me.worker.terminate();
    }
  }, IDLE_MS);
  me.idleTimer.unref();
}

export async function runTcpJob(job: TcpJob, options: ProbeOptions): Promise<ProbeOutcome> {
  const { signal } = options;
  const me = await (shared ??= start().then((started) => (current = started)));
  if (signal.aborted) throw signal.reason;
  clearTimeout(me.idleTimer);
  me.worker.ref();
  const id = nextId++;
  return new Promise<ProbeOutcome>((resolve, reject) => {
    const onAbort = () => {
      me.pending.delete(id);
      me.worker.postMessage({ id, cancel: true });
      idleCheck(me);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    me.pending.set(id, (outcome) => {
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
    // The clock starts in the worker when the job arrives there: after the worker is up, and not while other
    // workers of the run are still starting (src/probes/warm-gate.ts).
    void me.ready
      .then(() => quietMoment(me.ready, quietWaitFor(options.timeoutMs)))
      .then(() => me.pending.has(id) && me.worker.postMessage({ id, job }));
  });
}
