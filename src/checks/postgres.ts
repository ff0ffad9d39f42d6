// `postgres` check: connect with the URL (libpq's sslmode), run SELECT 1, report the response time; always close.
import { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { maskText, maskUrl } from '../util/mask.js';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { describeNetError, untilAborted } from './net-errors.js';
import { planTls, SSL_MODES, worthNextAttempt, type SslMode, type TlsPlan } from './postgres-tls.js';
import { messageOf } from '../util/errors.js';

type Pg = typeof import('pg');

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return false;
    const mode = url.searchParams.get('sslmode');
    return mode === null || (SSL_MODES as readonly string[]).includes(mode);
  } catch {
    return false;
  }
}

/** Words for why the connection or the query failed, naming which: refused, wrong password, unknown database, … */
export function describePgError(error: unknown, mode: SslMode, url: URL): string {
  const net = describeNetError(error);
  if (net) {
    if (/TLS certificate/.test(net)) return `${net} (sslmode=${mode}; sslmode=require encrypts without checking it)`;
    return net;
  }
  const err = error as { code?: string; message?: string };
  const text = String(err?.message ?? error);
  const user = decodeURIComponent(url.username) || 'the default user';
  switch (err?.code) {
    case '28P01':
      return `wrong password for user ${user} (password authentication failed)`;
    case '3D000':
      return `unknown database: ${text}`;
    case '28000':
      if (/role .* does not exist/.test(text)) return `unknown user: ${text}`;
      return `refused by pg_hba.conf: ${text}`;
    case '57P03':
      return `the server is not accepting connections: ${text}`;
    case '53300':
      return `too many connections: ${text}`;
    default:
      break;
  }
  if (/client password must be a (non-empty )?string|Password must be a string/i.test(text)) {
    return `the server asks for a password and the URL has none (write it as postgres://${user}:PASSWORD@host/db)`;
  }
  if (/does not support SSL/i.test(text)) return `the server does not offer TLS (sslmode=${mode}; use sslmode=prefer or disable)`;
  if (/error establishing an SSL connection/i.test(text)) return `TLS negotiation failed (sslmode=${mode})`;
  if (/Connection terminated/i.test(text)) return 'connection closed by the server';
  return maskText(text.split('\n')[0]!.slice(0, 200));
}

const GOODBYE_MS = 250;

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

/**
 * One connection: connect, SELECT 1, say goodbye; resolves with the moment (performance.now()) SELECT 1 answered.
 * The socket is ours, so a timeout can always close it, whatever state pg is in.
 */
async function selectOne(pg: Pg, connectionString: string, ssl: false | ConnectionOptions, signal: AbortSignal): Promise<number> {
  const socket = new Socket();
  const client = new pg.Client({ connectionString, ssl, stream: () => socket, application_name: 'neuronova-health-check' });
  // pg also emits failures as 'error' events; unheard, one would crash the whole run.
  client.on('error', () => undefined);
  const kill = () => socket.destroy();
  signal.addEventListener('abort', kill, { once: true });
  try {
    await untilAborted(client.connect(), signal);
    const result = await untilAborted(client.query<{ ok: number }>('SELECT 1 AS ok'), signal);
    const answeredAt = performance.now();
    if (result.rows[0]?.ok !== 1) throw new Error(`SELECT 1 returned ${JSON.stringify(result.rows).slice(0, 100)}`);
    // Say goodbye (Terminate) so the server logs no "unexpected EOF", but never let a slow goodbye fail a good answer.
    await politeEnd(client.end());
    return answeredAt;
  } finally {
    signal.removeEventListener('abort', kill);
    if (!socket.destroyed) socket.destroy();
  }
}

export const postgres = defineCheck({
  type: 'postgres',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      url: z
        .string()
        .refine(
          isPostgresUrl,
          `must be a postgres:// or postgresql:// URL, like postgres://app:PASSWORD@127.0.0.1:5432/app, with sslmode one of ${SSL_MODES.join(', ')}`,
        ),
      max_response_ms: z.number().positive().optional(),
    });
  },
  timeoutLevel: 'CRITICAL',
  async run(cfg, ctx) {
    const shownUrl = maskUrl(cfg.url);
    const url = new URL(cfg.url);
    let plan: TlsPlan;
    try {
      plan = planTls(cfg.url);
    } catch (error) {
      return { level: 'UNKNOWN', message: `cannot read a TLS file named in the URL: ${maskText(messageOf(error))}`, details: { url: shownUrl } };
    }
    const { default: pg } = (await import('pg')) as unknown as { default: Pg };
    // Loading the package counts against the timeout; if that already passed, open nothing.
    if (ctx.signal.aborted) throw ctx.signal.reason;

    const started = performance.now();
    let answeredAt: number | undefined;
    let usedTls = false;
    let failure: unknown;
    for (const [index, attempt] of plan.attempts.entries()) {
      try {
        answeredAt = await selectOne(pg, plan.connectionString, attempt.ssl, ctx.signal);
        usedTls = attempt.ssl !== false;
        failure = undefined;
        break;
      } catch (error) {
        // Stopped by the timeout: the engine words that result; ours would race it.
        if (ctx.signal.aborted) throw error;
        failure = error;
        if (index === plan.attempts.length - 1 || !worthNextAttempt(plan.mode, error)) break;
      }
    }
    if (answeredAt === undefined) {
      const ms = round1(performance.now() - started);
      const why = describePgError(failure, plan.mode, url);
      return { level: 'CRITICAL', message: why, logMessage: `${why}: ${shownUrl} (${ms} ms)`, responseTimeMs: ms, details: { url: shownUrl } };
    }
    // From the first connect to SELECT 1's answer (a TLS try that sslmode=prefer gave up on included, as libpq would).
    const responseMs = round1(answeredAt - started);
    let level: Level = 'OK';
    let message = usedTls ? 'SELECT 1 OK (TLS)' : 'SELECT 1 OK';
    if (cfg.max_response_ms !== undefined && responseMs > cfg.max_response_ms) {
      level = 'WARNING';
      message += `, slow: ${responseMs} ms > ${cfg.max_response_ms} ms`;
    }
    return {
      level,
      message,
      logMessage: `${message} on ${shownUrl} (${responseMs} ms)`,
      responseTimeMs: responseMs,
      details: { url: shownUrl },
      perf: [{ label: `${cfg.name}_time`, value: responseMs / 1000, uom: 's', min: 0 }],
    };
  },
});
