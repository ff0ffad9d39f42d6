// `postgres` check: connect with the URL (libpq's sslmode), run SELECT 1, report the response time; always close.
// The connection is made in a worker thread the run can terminate (src/probes/, docs/checks-timing.md).
import { z } from 'zod';
import type { Level } from '../levels.js';
import type { ProbeDeath } from '../probes/host.js';
import { maskText, maskUrl } from '../util/mask.js';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { describeNetError } from './net-errors.js';
import { planTls, SSL_MODES, type SslMode, type TlsPlan } from './postgres-tls.js';
import { messageOf } from '../util/errors.js';
import { deathOutcome, describeTooMuch, timingDetails } from './probe-outcome.js';

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
  if (/^SASL: Only mechanism/i.test(text)) {
    return `postgres: the server asks for a SASL mechanism this check cannot use (${maskText(text.slice(0, 100))}); allow scram-sha-256 or md5 for this user in pg_hba.conf`;
  }
  return maskText(text.split('\n')[0]!.slice(0, 200));
}

/** Authentication requests pg-protocol does not know (it throws "Unknown authenticationOk message type N"). */
const UNSUPPORTED_AUTH: Record<string, string> = { '7': 'GSS (Kerberos)', '8': 'GSS (Kerberos)', '9': 'SSPI' };

/** A worker that died on a GSS/SSPI request gets words an operator can act on; any other death keeps its own. */
export function describePgDeath(death: ProbeDeath): ProbeDeath {
  const code = /^Unknown authenticationOk message type (\d+)$/.exec(death.thrown ?? '')?.[1];
  const method = code === undefined ? undefined : UNSUPPORTED_AUTH[code];
  if (!method) return death;
  return { ...death, reason: `postgres: the server asks for ${method} authentication, which this check cannot do (allow scram-sha-256 or md5 for this user in pg_hba.conf)` };
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
    const details = { url: shownUrl };
    // pg is loaded in the worker, and the clock starts there once it is: loading is not the server's time.
    // The worker machinery is loaded by the first check that needs it: the default cycle has none (docs/checks-timing.md).
    const { runProbe } = await import('../probes/host.js');
    const outcome = await runProbe(
      { kind: 'postgres', connectionString: plan.connectionString, sslmode: plan.mode, attempts: plan.attempts.map((a) => a.ssl) },
      { signal: ctx.signal, label: 'postgres', timeoutMs: cfg.timeout },
    );
    if (outcome.died) return deathOutcome(describePgDeath(outcome.died), shownUrl, details);
    const reply = outcome.reply;
    if (!reply.ok) {
      const ms = reply.elapsedMs === undefined ? undefined : round1(reply.elapsedMs);
      const why = describeTooMuch(reply.error, 'postgres') ?? describePgError(reply.error, plan.mode, url);
      return {
        level: 'CRITICAL',
        message: why,
        logMessage: ms === undefined ? `${why}: ${shownUrl}` : `${why}: ${shownUrl} (${ms} ms)`,
        ...(ms === undefined ? {} : { responseTimeMs: ms }),
        details,
      };
    }
    // From the first connect to SELECT 1's answer (a TLS try that sslmode=prefer gave up on included, as libpq would).
    const responseMs = round1(reply.timings.total_ms);
    let level: Level = 'OK';
    let message = reply.tls ? 'SELECT 1 OK (TLS)' : 'SELECT 1 OK';
    if (cfg.max_response_ms !== undefined && responseMs > cfg.max_response_ms) {
      level = 'WARNING';
      message += `, slow: ${responseMs} ms > ${cfg.max_response_ms} ms`;
    }
    return {
      level,
      message,
      logMessage: `${message} on ${shownUrl} (${responseMs} ms)`,
      responseTimeMs: responseMs,
      details: { ...details, timings: timingDetails(reply.timings) },
      perf: [{ label: `${cfg.name}_time`, value: responseMs / 1000, uom: 's', min: 0 }],
    };
  },
});
