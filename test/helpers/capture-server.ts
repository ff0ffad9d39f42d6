// Test helper: a real node:http server on 127.0.0.1 that records every request (method, path, headers, body) and
// answers what the test sets — the stand-in for PagerDuty, ntfy, Telegram, Discord and Teams endpoints.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: any;
}

export interface Answer {
  status: number;
  body?: string | object;
  headers?: Record<string, string>;
}

export interface CaptureServer {
  /** http://127.0.0.1:PORT */
  base: string;
  requests: Captured[];
  /** What the next requests get (a function sees the request). */
  answer: Answer | ((req: Captured) => Answer);
  close(): Promise<void>;
}

export async function startCapture(
  t: { after(fn: () => Promise<void> | void): void },
  answer: CaptureServer['answer'],
): Promise<CaptureServer> {
  const capture: CaptureServer = { base: '', requests: [], answer, close: async () => {} };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const seen: Captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      try {
        seen.json = JSON.parse(body);
      } catch {
        // not JSON (ntfy's plain text)
      }
      capture.requests.push(seen);
      const reply = typeof capture.answer === 'function' ? capture.answer(seen) : capture.answer;
      const text =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const type = typeof reply.body === 'object' ? 'application/json' : 'text/plain';
      res.writeHead(reply.status, { 'content-type': type, ...reply.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  capture.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  t.after(() => capture.close());
  return capture;
}
