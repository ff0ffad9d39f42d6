// The HTTP side of serve on node:http: a fixed route table, GET/HEAD (and DELETE for log cleanup), no request bodies,
// answers built once per cycle. Routing looks at the request path only, never at Host (docs/serve.md "Security").
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AccessLog } from './access-log.js';
import type { Snapshot } from './cycle.js';
import { json, liveAnswer, snapshotAnswers, type Answer, type SnapshotAnswers } from './health-answers.js';
import type { LogApi } from './log-api.js';
import type { PageRenderer } from './status-page.js';
import type { Scheduler } from './scheduler.js';

export interface ServeParts {
  scheduler: Scheduler;
  intervalMs: number;
  page: PageRenderer;
  stats(): Promise<Answer>;
  logs: LogApi;
  access: AccessLog;
  /** A bug of ours while answering: said on stderr (masked by the caller), the client gets a plain 500. */
  onError(error: unknown): void;
}

const HTML_TYPE = 'text/html; charset=utf-8';
const ROUTES = [
  '/',
  '/api/health/',
  '/api/health/detailed/',
  '/api/health/ready/',
  '/api/health/live/',
  '/api/system/stats/',
  '/metrics',
  '/api/logs/…',
];

/** Pins request ids to this process: `3f9a1c-17` is the 17th request since this serve started. */
const ID_PREFIX = randomBytes(3).toString('hex');

export function createServeServer(parts: ServeParts): Server {
  const { scheduler } = parts;
  let requests = 0;
  // Answers that depend only on the snapshot are built when a new snapshot is first asked for, then reused.
  let built: { snapshot: Snapshot; answers: SnapshotAnswers } | undefined;
  const answersFor = (snapshot: Snapshot) => {
    if (built?.snapshot !== snapshot) built = { snapshot, answers: snapshotAnswers(snapshot) };
    return built.answers;
  };
  const current = async (): Promise<Snapshot | undefined> => scheduler.latest() ?? (await scheduler.first());
  const starting = () => json(503, { status: 'starting', message: 'the first check cycle has not finished' });

  const health = async (pick: (answers: SnapshotAnswers) => Answer) => {
    const snapshot = await current();
    return snapshot ? pick(answersFor(snapshot)) : starting();
  };

  const table: Record<string, () => Promise<Answer>> = {
    '/api/health': () => health((a) => a.health),
    '/api/health/detailed': () => health((a) => a.detailed),
    '/api/health/ready': () => health((a) => a.ready),
    '/api/health/live': async () => liveAnswer(scheduler.latest(), scheduler.startedAt, parts.intervalMs),
    '/api/system/stats': () => parts.stats(),
    '/metrics': () => health((a) => a.metrics),
    '/': async () => {
      const snapshot = await current();
      return snapshot ? { status: 200, type: HTML_TYPE, body: parts.page.html(snapshot) } : starting();
    },
  };

  const answer = async (
    req: IncomingMessage,
    path: string,
    query: string,
  ): Promise<{ route: string; answer: Answer }> => {
    const method = req.method ?? 'GET';
    if (path === '/api/logs' || path.startsWith('/api/logs/')) {
      const route = path.slice('/api/logs/'.length);
      const answer = await parts.logs.handle({
        method,
        route,
        query: new URLSearchParams(query),
        authorization: req.headers.authorization,
      });
      return { route: route.startsWith('file/') ? '/api/logs/file/:name' : path, answer };
    }
    const handler = table[path];
    if (!handler) return { route: 'unknown', answer: json(404, { error: 'not found', endpoints: ROUTES }) };
    if (method !== 'GET' && method !== 'HEAD')
      return {
        route: path,
        answer: { ...json(405, { error: `${method} is not allowed here` }), headers: { allow: 'GET, HEAD' } },
      };
    return { route: path, answer: await handler() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const id = `${ID_PREFIX}-${++requests}`;
    let route = 'unknown';
    let result: Answer;
    const raw = req.url ?? '/';
    const mark = raw.indexOf('?');
    const rawPath = mark < 0 ? raw : raw.slice(0, mark);
    // Only origin-form paths; `//`, `\\` and an absolute URL never reach a route (the Host and such are ignored).
    if (!rawPath.startsWith('/') || rawPath.includes('//') || rawPath.includes('\\')) {
      result = json(400, { error: 'bad request path' });
    } else if (hasBody(req)) {
      // No endpoint takes a body: it is refused unread, and the connection closed after the answer.
      result = { ...json(413, { error: 'this API takes no request body' }), headers: { connection: 'close' } };
    } else {
      // Trailing slash optional: /api/health and /api/health/ are one route.
      const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
      try {
        ({ route, answer: result } = await answer(req, path, mark < 0 ? '' : raw.slice(mark + 1)));
      } catch (error) {
        parts.onError(error);
        result = json(500, { error: "internal error (see the serve process's stderr)" });
      }
    }
    send(res, req.method === 'HEAD', id, result);
    parts.access.write({
      id,
      method: req.method ?? '?',
      route,
      status: result.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      remote: req.socket.remoteAddress,
    });
  };

  const server = createServer(
    {
      // Every byte from a peer capped: 8 KiB of headers, 10 s to send them, 15 s for the whole request.
      maxHeaderSize: 8192,
      headersTimeout: 10_000,
      requestTimeout: 15_000,
      keepAliveTimeout: 5_000,
    },
    (req, res) => void handle(req, res),
  );
  // A client that sends garbage gets a plain 400 and its socket closed; nothing reaches a route.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function send(res: ServerResponse, head: boolean, id: string, answer: Answer): void {
  res.writeHead(answer.status, {
    'content-type': answer.type,
    'content-length': answer.body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': id,
    ...answer.headers,
  });
  res.end(head ? undefined : answer.body);
}
