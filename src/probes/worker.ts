// The probe worker's entry (dist/probe-worker.js): loads the one client its job needs, says "ready", runs the job,
// posts the reply. The main thread terminates it on timeout and judges its death (src/probes/host.ts). Started with
// { shared: 'tcp' } instead, it is the run's tcp worker and answers connect jobs until terminated.
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../util/errors.js';
import { probePostgres } from './postgres.js';
import type { ProbeJob, ProbeMessage, ProbeReply, TcpJob } from './protocol.js';
import { probeRedis } from './redis.js';
import { probeTcp } from './tcp.js';
import { warmUpPostgres, warmUpRedis, warmUpTcp } from './warm-up.js';

async function run(job: ProbeJob): Promise<ProbeReply> {
  switch (job.kind) {
    case 'tcp':
      await warmUpTcp();
      post({ type: 'ready' });
      await go();
      return probeTcp(job);
    case 'postgres': {
      // Loaded and warmed up here, before "ready": the check's clock starts after its client is in memory and compiled.
      const { default: pg } = (await import('pg')) as unknown as { default: typeof import('pg') };
      await warmUpPostgres(pg, job.connectionString);
      post({ type: 'ready' });
      await go();
      return probePostgres(job, pg);
    }
    case 'redis': {
      // Bundled, the CommonJS package's exports may sit under `default`.
      const loaded = (await import('redis')) as Partial<typeof import('redis')> & { default?: typeof import('redis') };
      const redis = loaded.createClient ? (loaded as typeof import('redis')) : loaded.default!;
      await warmUpRedis(redis, job.url);
      post({ type: 'ready' });
      await go();
      return probeRedis(job, redis);
    }
  }
}

function post(message: ProbeMessage): void {
  parentPort!.postMessage(message);
}

/** After "ready", the main thread says "go" once the run's other workers are up too (src/probes/warm-gate.ts). */
function go(): Promise<void> {
  return new Promise((resolve) => parentPort!.once('message', () => resolve()));
}

const data = workerData as ProbeJob | { shared: 'tcp' };
if ('shared' in data) {
  // The run's one tcp worker (src/probes/tcp-worker.ts): many connects, one at a time per message, no parser at risk.
  await warmUpTcp();
  const running = new Map<number, AbortController>();
  parentPort!.on('message', ({ id, job, cancel }: { id: number; job?: TcpJob; cancel?: true }) => {
    if (cancel) return running.get(id)?.abort();
    const stop = new AbortController();
    running.set(id, stop);
    void probeTcp(job!, stop.signal).then((reply) => {
      running.delete(id);
      if (!stop.signal.aborted) parentPort!.postMessage({ id, reply });
    });
  });
  post({ type: 'ready' });
} else {
  // An exception a client library throws from a socket callback (pg-protocol on a message it cannot parse) is not
  // ours to catch: it ends this worker with an 'error' event, which the main thread words as the check's result.
  // A rejection of run() is our own failure (the probes turn every client error into a reply): UNKNOWN, not the peer.
  await run(data).then(
    (reply) => post({ type: 'reply', reply }),
    (error: unknown) => post({ type: 'failed', message: messageOf(error).split('\n')[0]!.slice(0, 200) }),
  );
}
