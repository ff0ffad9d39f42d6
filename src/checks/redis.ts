// `redis` check: connect (AUTH with password or ACL user, TLS for rediss://), PING → PONG, report the response time.
import { z } from 'zod';
import type { Level } from '../levels.js';
import { maskText, maskUrl } from '../util/mask.js';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { describeNetError, untilAborted } from './net-errors.js';
import { messageOf } from '../util/errors.js';

/** redis://[user[:password]@]host[:port][/db], rediss://… for TLS, or unix:///path/to/socket. */
function isRedisUrl(value: string): boolean {
  if (/^unix:\/\/\S+$/i.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^\/?(\d+)?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** Words for what the server or the socket said; the raw reply is kept short and masked. */
export function describeRedisError(error: unknown, url: URL | undefined): string {
  const net = describeNetError(error);
  if (net) return /^TLS certificate/.test(net) ? `${net} (tls_verify: false accepts it)` : net;
  const text = messageOf(error);
  if (/^WRONGPASS/.test(text) || /^ERR invalid (username-)?password/i.test(text)) {
    const user = url?.username ? decodeURIComponent(url.username) : '';
    return user ? `wrong user name or password (WRONGPASS for user ${user})` : 'wrong password (WRONGPASS)';
  }
  if (/^NOAUTH/.test(text)) return 'authentication required (NOAUTH): the URL has no password; write it as redis://:PASSWORD@host:6379/0';
  if (/without any password configured/i.test(text)) return 'the URL gives a password but the server has none set (AUTH refused)';
  if (/DB index is out of range/i.test(text)) return `database ${url?.pathname.slice(1) || '?'} does not exist (DB index is out of range)`;
  if (/^LOADING/.test(text)) return 'Redis is still loading its dataset (LOADING)';
  if (/^MASTERDOWN/.test(text)) return 'replica has lost its master (MASTERDOWN)';
  if (/Socket closed unexpectedly/i.test(text)) return 'connection closed by the server';
  if (/Connection timeout/i.test(text)) return 'connection timed out';
  return maskText(text.split('\n')[0]!.slice(0, 200));
}

export const redis = defineCheck({
  type: 'redis',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      url: z.string().refine(isRedisUrl, 'must be a redis://, rediss:// or unix:// URL, like redis://:PASSWORD@127.0.0.1:6379/0'),
      max_response_ms: z.number().positive().optional(),
      /** rediss:// only: false accepts a self-signed or otherwise unverifiable certificate. */
      tls_verify: z.boolean().default(true),
    });
  },
  timeoutLevel: 'CRITICAL',
  async run(cfg, ctx) {
    const shownUrl = maskUrl(cfg.url);
    const url = cfg.url.startsWith('unix:') ? undefined : new URL(cfg.url);
    const tls = url?.protocol === 'rediss:';
    const { createClient } = await import('redis');
    // Loading the package counts against the timeout; if that already passed, open nothing.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const client = createClient({
      url: cfg.url,
      socket: {
        // One attempt per run: the next run is the retry. A reconnect loop would outlive the check.
        reconnectStrategy: false,
        // A backstop only: the engine decides at the check's timeout and aborts first.
        connectTimeout: cfg.timeout + 1000,
        ...(tls ? { tls: true as const, rejectUnauthorized: cfg.tls_verify } : {}),
      },
      // A command sent while not connected fails at once instead of waiting for a reconnect that never comes.
      disableOfflineQueue: true,
    });
    // node-redis also reports failures as 'error' events; unheard, one would crash the whole run.
    client.on('error', () => undefined);
    const close = () => {
      try {
        client.destroy();
      } catch {
        // never connected, or already closed
      }
    };
    ctx.signal.addEventListener('abort', close, { once: true });
    // The clock starts after createClient(): its first call costs ~50 ms of client-side setup, which is not the server's time.
    const started = performance.now();
    // Stopped while the TCP connect was still pending, destroy() finds no socket to close yet: close it once it exists.
    client.on('connect', () => {
      if (ctx.signal.aborted) close();
    });

    let reply: unknown;
    let answeredAt: number;
    try {
      await untilAborted(client.connect(), ctx.signal);
      reply = await untilAborted(client.ping(), ctx.signal);
      answeredAt = performance.now();
    } catch (error) {
      // Stopped by the timeout: the engine words that result; ours would race it.
      if (ctx.signal.aborted) throw error;
      const ms = round1(performance.now() - started);
      const why = describeRedisError(error, url);
      return {
        level: 'CRITICAL',
        message: why,
        logMessage: `${why}: ${shownUrl} (${ms} ms)`,
        responseTimeMs: ms,
        details: { url: shownUrl },
      };
    } finally {
      ctx.signal.removeEventListener('abort', close);
      close();
    }

    const ms = round1(answeredAt - started);
    const perf = [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }];
    if (reply !== 'PONG') {
      const why = `unexpected reply to PING: ${maskText(String(reply)).slice(0, 100)}`;
      return { level: 'CRITICAL', message: why, logMessage: `${why} from ${shownUrl} (${ms} ms)`, responseTimeMs: ms, details: { url: shownUrl }, perf };
    }
    let level: Level = 'OK';
    let message = tls ? 'PONG (TLS)' : 'PONG';
    if (cfg.max_response_ms !== undefined && ms > cfg.max_response_ms) {
      level = 'WARNING';
      message += `, slow: ${ms} ms > ${cfg.max_response_ms} ms`;
    }
    return { level, message, logMessage: `${message} from ${shownUrl} (${ms} ms)`, responseTimeMs: ms, details: { url: shownUrl }, perf };
  },
});
