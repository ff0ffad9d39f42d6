// Test helper: a real node:http (or https) server on 127.0.0.1, port 0, with a handler per path.
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  port: number;
  /** `http://127.0.0.1:PORT/path` (https for a TLS server). */
  url(path?: string): string;
  /** Requests received so far, by path. */
  hits(path: string): number;
  close(): Promise<void>;
}

/**
 * Serve `routes` (exact path without query → handler); other paths answer 404. `tls` makes it https.
 * close() drops open connections too, so a handler that never answers does not keep the test alive.
 */
export async function startServer(
  routes: Record<string, Handler>,
  tls?: { cert: Buffer; key: Buffer },
): Promise<TestServer> {
  const counts = new Map<string, number>();
  const handle: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const server = tls ? createHttps({ cert: tls.cert, key: tls.key }, handle) : createHttp(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: (path = '/') => `${tls ? 'https' : 'http'}://127.0.0.1:${port}${path}`,
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Handler: answer `status` with `body` (JSON when an object). */
export function reply(status: number, body: string | object = '', headers: Record<string, string> = {}): Handler {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  return (_req, res) => void res.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

/** Handler: accept the request and never answer (a hung application behind a live socket). */
export const never: Handler = () => undefined;

/** A route that holds each request `holdMs` and counts how many were open at once (for concurrency caps). */
export function overlapCounter(holdMs: number): { handler: Handler; max(): number; reset(): void } {
  let open = 0;
  let most = 0;
  return {
    handler: (_req, res) => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => {
        open--;
        res.writeHead(200).end('ok');
      }, holdMs);
    },
    max: () => most,
    reset: () => void (most = 0),
  };
}
