// Inside a probe worker: the tcp check's connect, timed from the connect call to the socket's `connect` event.
import { connect } from 'node:net';
import type { ProbeReply, TcpJob } from './protocol.js';
import { SocketWatch } from './socket-guard.js';
import { errorAsData } from './errors.js';

/** `stop` (the check was stopped in the main thread) closes the socket; the reply is then not wanted. */
export function probeTcp(job: TcpJob, stop?: AbortSignal): Promise<ProbeReply> {
  const watch = new SocketWatch();
  return new Promise((resolve) => {
    watch.start();
    const socket = connect({ host: job.host, port: job.port });
    watch.guard(socket);
    stop?.addEventListener('abort', () => socket.destroy(new Error('stopped')), { once: true });
    socket.once('connect', () => {
      const ms = watch.since(watch.connectedAt)!;
      socket.destroy();
      resolve({ ok: true, timings: { connect_ms: ms, total_ms: ms } });
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve({ ok: false, error: errorAsData(error), elapsedMs: watch.since(performance.now()) });
    });
  });
}
