// `postgres` check: connect with the URL (libpq's sslmode), run SELECT 1, report the response time; always close.
// The connection is made in a worker thread the run can terminate (src/probes/, docs/checks-timing.md).
import { say } from '../i18n/index.js';
import { z } from 'zod';
import type { Level } from '../levels.js';
import type { ProbeDeath } from '../probes/host.js';
import { maskText, maskUrl } from '../util/mask.js';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { describeNetError, isCertificateProblem } from './net-errors.js';
import { planTls, SSL_MODES, type SslMode, type TlsPlan } from './postgres-tls.js';
import { messageOf } from '../util/errors.js';
import { deathOutcome, describeTooMuch, failedOutcome, timingDetails } from './probe-outcome.js';

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
    if (isCertificateProblem(error)) return say.check.postgres.tlsHint(net, mode);
    return net;
  }
  const err = error as { code?: string; message?: string };
  const text = String(err?.message ?? error);
  const user = decodeURIComponent(url.username) || say.check.postgres.defaultUser;
  switch (err?.code) {
    case '28P01':
      return say.check.postgres.wrongPassword(user);
    case '3D000':
      return say.check.postgres.unknownDatabase(text);
    case '28000':
      if (/role .* does not exist/.test(text)) return say.check.postgres.unknownUser(text);
      return say.check.postgres.pgHba(text);
    case '57P03':
      return say.check.postgres.notAccepting(text);
    case '53300':
      return say.check.postgres.tooManyConnections(text);
    default:
      break;
  }
  if (/client password must be a (non-empty )?string|Password must be a string/i.test(text)) {
    return say.check.postgres.needsPassword(user);
  }
  if (/does not support SSL/i.test(text)) return say.check.postgres.noTls(mode);
  if (/error establishing an SSL connection/i.test(text)) return say.check.postgres.tlsFailed(mode);
  if (/Connection terminated/i.test(text)) return say.check.probe.closedByServer;
  if (/^SASL: Only mechanism/i.test(text)) {
    return say.check.postgres.sasl(maskText(text.slice(0, 100)));
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
  return { ...death, reason: say.check.postgres.unsupportedAuth(method) };
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
  timedInWorker: true,
  async run(cfg, ctx) {
    const shownUrl = maskUrl(cfg.url);
    const url = new URL(cfg.url);
    let plan: TlsPlan;
    try {
      plan = planTls(cfg.url);
    } catch (error) {
      return {
        level: 'UNKNOWN',
        message: say.check.postgres.tlsFile(maskText(messageOf(error))),
        details: { url: shownUrl },
      };
    }
    const details = { url: shownUrl };
    // pg is loaded in the worker, and the clock starts there once it is: loading is not the server's time.
    // The worker machinery is loaded by the first check that needs it: the default cycle has none (docs/checks-timing.md).
    const { runProbe } = await import('../probes/host.js');
    const outcome = await runProbe(
      {
        kind: 'postgres',
        connectionString: plan.connectionString,
        sslmode: plan.mode,
        attempts: plan.attempts.map((a) => a.ssl),
      },
      { signal: ctx.signal, label: 'postgres', timeoutMs: cfg.timeout },
    );
    if (outcome.died) return deathOutcome(describePgDeath(outcome.died), shownUrl, details);
    const reply = outcome.reply;
    if (!reply.ok) {
      const why = describeTooMuch(reply.error, 'postgres') ?? describePgError(reply.error, plan.mode, url);
      return failedOutcome(why, reply.elapsedMs, shownUrl, details);
    }
    // From the first connect to SELECT 1's answer (a TLS try that sslmode=prefer gave up on included, as libpq would).
    const responseMs = round1(reply.timings.total_ms);
    let level: Level = 'OK';
    let message = say.check.postgres.ok(Boolean(reply.tls));
    if (cfg.max_response_ms !== undefined && responseMs > cfg.max_response_ms) {
      level = 'WARNING';
      message += say.check.probe.slow(responseMs, cfg.max_response_ms);
    }
    return {
      level,
      message,
      logMessage: say.check.postgres.on(message, shownUrl, responseMs),
      responseTimeMs: responseMs,
      details: { ...details, timings: timingDetails(reply.timings) },
      perf: [{ label: `${cfg.name}_time`, value: responseMs / 1000, uom: 's', min: 0 }],
    };
  },
});
