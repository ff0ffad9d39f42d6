// Inside a probe worker: the redis check's connection — connect (TLS for rediss://, AUTH, SELECT), PING — with the
// clock started at the connect call and stopped when PING's answer arrived (docs/checks-timing.md).
import net from 'node:net';
import tls from 'node:tls';
import { errorAsData } from './errors.js';
import type { ProbeReply, RedisJob } from './protocol.js';
import { SocketWatch } from './socket-guard.js';

type Redis = typeof import('redis');

/**
 * node-redis makes its socket itself (net.createConnection / tls.connect). This worker runs one check, and its
 * copies of node:net and node:tls are its own (a worker has its own module instances), so wrapping them here is
 * how the socket gets counted and capped without touching any other connection.
 */
function watchNewSockets(watch: SocketWatch): void {
  const wrap = <F extends (...args: never[]) => net.Socket>(original: F): F =>
    ((...args: Parameters<F>) => {
      watch.start();
      const socket = original(...args);
      watch.guard(socket);
      return socket;
    }) as F;
  net.createConnection = wrap(net.createConnection);
  tls.connect = wrap(tls.connect);
}

export async function probeRedis(job: RedisJob, redis: Redis): Promise<ProbeReply> {
  const watch = new SocketWatch();
  const tlsUrl = job.url.startsWith('rediss:');
  const client = redis.createClient({
    url: job.url,
    socket: {
      // One attempt per run: the next run is the retry. A reconnect loop would outlive the check.
      reconnectStrategy: false,
      connectTimeout: job.connectTimeoutMs,
      ...(tlsUrl ? { tls: true as const, rejectUnauthorized: job.tlsVerify } : {}),
    },
    // A command sent while not connected fails at once instead of waiting for a reconnect that never comes.
    disableOfflineQueue: true,
    // No CLIENT SETINFO and no Redis Enterprise maintenance sign-up on connect: the handshake is HELLO (with AUTH) and
    // SELECT only, what docs/checks-timing.md says the time covers.
    disableClientInfo: true,
    maintNotifications: 'disabled',
  });
  // node-redis reports some failures only as 'error' events — a reply it cannot decode ("Unknown RESP type") closes
  // the socket and leaves connect() or ping() pending for ever: the first such event ends the probe.
  let failed: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  client.on('error', (error) => failed(error));
  watchNewSockets(watch);
  try {
    await Promise.race([client.connect(), failure]);
    const readyAt = watch.lastDataAt ?? performance.now();
    const querySentAt = performance.now();
    const answer = await Promise.race([client.ping(), failure]);
    const answeredAt = watch.lastDataAt ?? performance.now();
    return {
      ok: true,
      tls: tlsUrl,
      answer: String(answer).slice(0, 200),
      timings: {
        connect_ms: watch.since(readyAt)!,
        query_ms: answeredAt - querySentAt,
        total_ms: watch.since(answeredAt)!,
      },
    };
  } catch (error) {
    return { ok: false, error: errorAsData(error), elapsedMs: watch.since(performance.now()) };
  } finally {
    try {
      client.destroy();
    } catch {
      // never connected, or already closed
    }
  }
}
