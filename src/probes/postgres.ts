// Inside a probe worker: the postgres check's connection — connect (libpq's sslmode attempts), SELECT 1, goodbye —
// with the clock started at the first connect and stopped when SELECT 1's answer arrived (docs/checks-timing.md).
import { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { worthNextAttempt, type SslMode } from '../checks/postgres-tls.js';
import { errorAsData } from './errors.js';
import type { PlainTls, PostgresJob, ProbeReply } from './protocol.js';
import { SocketWatch } from './socket-guard.js';

type Pg = typeof import('pg');

const GOODBYE_MS = 250;

/** Node TLS options from plain data; verify-ca checks the chain but not the name. */
function nodeTls(plain: PlainTls): ConnectionOptions {
  const { verifyHostname, ...options } = plain;
  return verifyHostname === false ? { ...options, checkServerIdentity: () => undefined } : options;
}

function politeEnd(ending: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GOODBYE_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    ending.then(done, done);
  });
}

interface Answered {
  readyAt: number;
  querySentAt: number;
  answeredAt: number;
}

/** One connection: connect, SELECT 1, say goodbye. The socket is ours, so its bytes are counted and capped. */
async function selectOne(
  pg: Pg,
  job: PostgresJob,
  ssl: false | ConnectionOptions,
  watch: SocketWatch,
): Promise<Answered> {
  const socket = new Socket();
  // pg calls socket.connect(port, host) or connect(path): that call is where the clock starts.
  const connectOriginal = socket.connect.bind(socket) as (...args: unknown[]) => Socket;
  (socket as unknown as { connect: (...args: unknown[]) => Socket }).connect = (...args: unknown[]) => {
    watch.start();
    return connectOriginal(...args);
  };
  watch.guard(socket);
  const client = new pg.Client({
    connectionString: job.connectionString,
    ssl,
    stream: () => socket,
    application_name: 'neuronova-health-check',
  });
  // pg also emits failures as 'error' events; unheard, one would end the worker.
  client.on('error', () => undefined);
  // After an SSLRequest is accepted, pg talks through a TLS socket it made itself: watch that one too.
  const connection = (client as unknown as { connection: { on(event: string, f: () => void): void; stream: Socket } })
    .connection;
  connection.on('sslconnect', () => watch.guard(connection.stream));
  try {
    await client.connect();
    const readyAt = watch.lastDataAt ?? performance.now();
    const querySentAt = performance.now();
    const result = await client.query<{ ok: number }>('SELECT 1 AS ok');
    const answeredAt = watch.lastDataAt ?? performance.now();
    if (result.rows[0]?.ok !== 1) throw new Error(`SELECT 1 returned ${JSON.stringify(result.rows).slice(0, 100)}`);
    // Say goodbye (Terminate) so the server logs no "unexpected EOF", but never let a slow goodbye hold the answer.
    await politeEnd(client.end());
    return { readyAt, querySentAt, answeredAt };
  } finally {
    if (!socket.destroyed) socket.destroy();
    if (!connection.stream.destroyed) connection.stream.destroy();
  }
}

export async function probePostgres(job: PostgresJob, pg: Pg): Promise<ProbeReply> {
  const watch = new SocketWatch();
  let failure: unknown;
  for (const [index, attempt] of job.attempts.entries()) {
    try {
      const answered = await selectOne(pg, job, attempt === false ? false : nodeTls(attempt), watch);
      return {
        ok: true,
        tls: attempt !== false,
        timings: {
          // From the first connect (a TLS try that sslmode=prefer gave up on included, as libpq would) to ReadyForQuery.
          connect_ms: watch.since(answered.readyAt)!,
          query_ms: answered.answeredAt - answered.querySentAt,
          total_ms: watch.since(answered.answeredAt)!,
        },
      };
    } catch (error) {
      failure = error;
      if (index === job.attempts.length - 1 || !worthNextAttempt(job.sslmode as SslMode, error)) break;
    }
  }
  return { ok: false, error: errorAsData(failure), elapsedMs: watch.since(performance.now()) };
}
