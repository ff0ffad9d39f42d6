// Real servers on 127.0.0.1 for alert tests: a Slack-like webhook, an SMTP server with auth, and a target for checks.
import type { SendOutcome } from '../../src/alerts/deliver.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nn-alerts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What the fake Slack answers: 200 ok, an HTTP error, 429 with Retry-After seconds, or no answer at all. */
export type HookMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: '429'; retryAfter: number; times?: number }
  | { kind: 'hang' };

export interface HookServer {
  url: string;
  /** Bodies of the requests it accepted (answered 2xx), in order. */
  received: Array<Record<string, unknown>>;
  /** Every request, accepted or not. */
  requests: number;
  headers: IncomingMessage['headers'][];
  mode: HookMode;
  close(): Promise<void>;
}

/** A Slack-like (or any webhook) receiver. The URL path looks like a real incoming-webhook token. */
export async function startHook(
  t: { after(fn: () => Promise<void> | void): void },
  path = '/services/T0SECRET/B0SECRET/XyZsecretTOKEN',
): Promise<HookServer> {
  const hanging: ServerResponse[] = [];
  const hook: HookServer = {
    url: '',
    received: [],
    requests: 0,
    headers: [],
    mode: { kind: 'ok' },
    close: async () => {},
  };
  let tooMany = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      hook.requests++;
      const mode = hook.mode;
      if (req.url !== path) {
        res.writeHead(404).end('no_service');
      } else if (mode.kind === 'hang') {
        hanging.push(res);
      } else if (mode.kind === 'status') {
        res.writeHead(mode.status, { 'content-type': 'text/plain' }).end('internal_error');
      } else if (mode.kind === '429' && tooMany < (mode.times ?? Infinity)) {
        tooMany++;
        res
          .writeHead(429, { 'retry-after': String(mode.retryAfter), 'content-type': 'text/plain' })
          .end('rate_limited');
      } else {
        hook.received.push(JSON.parse(body) as Record<string, unknown>);
        hook.headers.push(req.headers);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  const port = await listen(server);
  hook.url = `http://127.0.0.1:${port}${path}`;
  hook.close = async () => {
    for (const res of hanging) res.destroy();
    await closeServer(server);
  };
  t.after(() => hook.close());
  return hook;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  user?: string;
}

export interface SmtpServerHandle {
  port: number;
  mails: Mail[];
  /** Refuse every message (the server answers 451) while true. */
  failing: boolean;
  /** Per-recipient answers at RCPT TO (`{ 'typo@x': [550, '5.1.1 User unknown'] }`); others are accepted. */
  refuse: Record<string, [number, string]>;
  /** The raw bytes of every message, as they came (the 8bit test reads these). */
  bytes: Buffer[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 that wants AUTH (user/pass) and records every message. */
export async function startSmtp(
  t: { after(fn: () => Promise<void> | void): void },
  options: { user?: string; pass?: string; secure?: boolean; starttls?: boolean; hide8BitMime?: boolean } = {},
): Promise<SmtpServerHandle> {
  const handle: SmtpServerHandle = { port: 0, mails: [], failing: false, refuse: {}, bytes: [], close: async () => {} };
  const wantsAuth = options.user !== undefined;
  const server = new SMTPServer({
    secure: options.secure ?? false,
    authOptional: !wantsAuth,
    allowInsecureAuth: true,
    disabledCommands: options.starttls || options.secure ? [] : ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    hide8BITMIME: options.hide8BitMime ?? false,
    onRcptTo(address, _session, callback) {
      const answer = handle.refuse[address.address];
      if (!answer) return callback();
      const error = new Error(answer[1]) as Error & { responseCode: number };
      error.responseCode = answer[0];
      return callback(error);
    },
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let raw = '';
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
        chunks.push(chunk);
      });
      stream.on('end', () => {
        handle.bytes.push(Buffer.concat(chunks));
        if (handle.failing) {
          const error = new Error('Mailbox busy, try later') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
        handle.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  handle.port = (server.server.address() as AddressInfo).port;
  handle.close = () => new Promise((resolve) => server.close(() => resolve()));
  t.after(() => handle.close());
  return handle;
}

/** Decoded text body of a simple (text/plain, quoted-printable or 7bit) message, with \n line ends. */
export function mailBody(raw: string): string {
  return decodeBody(raw).replace(/\r\n/g, '\n');
}

function decodeBody(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

/** An HTTP service for `http` checks: each path answers the status set for it (200 by default). */
export async function startTarget(t: {
  after(fn: () => Promise<void> | void): void;
}): Promise<{ base: string; status: Map<string, number> }> {
  const status = new Map<string, number>();
  const server = createServer((req, res) => {
    const code = status.get(req.url ?? '/') ?? 200;
    res.writeHead(code, { 'content-type': 'text/plain' }).end(code < 400 ? 'fine' : 'broken');
  });
  const port = await listen(server);
  t.after(() => closeServer(server));
  return { base: `http://127.0.0.1:${port}`, status };
}

/** A send's outcome as the older tests read it: undefined when every recipient took it, else the reasons in one line. */
export function errorOf(outcome: SendOutcome): string | undefined {
  if (!outcome.ok) return outcome.error;
  const refusals = [...outcome.result.rejected, ...outcome.result.deferred];
  return refusals.length ? refusals.map((r) => `${r.recipient}: ${r.reason}`).join('; ') : undefined;
}
