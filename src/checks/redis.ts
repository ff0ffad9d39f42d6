// `redis` check: connect (AUTH with password or ACL user, TLS for rediss://), PING → PONG, report the response time.
// The client runs in a worker thread the run can terminate (src/probes/, docs/checks-timing.md).
import { say } from '../i18n/index.js';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { maskText, maskUrl } from '../util/mask.js';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { describeNetError, isCertificateProblem } from './net-errors.js';
import { deathOutcome, describeTooMuch, failedOutcome, timingDetails } from './probe-outcome.js';
import { messageOf } from '../util/errors.js';

/** redis://[user[:password]@]host[:port][/db], rediss://… for TLS, or unix:///path/to/socket. */
function isRedisUrl(value: string): boolean {
  if (/^unix:\/\/\S+$/i.test(value)) return true;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
      url.hostname !== '' &&
      /^\/?(\d+)?$/.test(url.pathname)
    );
  } catch {
    return false;
  }
}

/** Words for what the server or the socket said; the raw reply is kept short and masked. */
export function describeRedisError(error: unknown, url: URL | undefined): string {
  const net = describeNetError(error);
  if (net) return isCertificateProblem(error) ? say.check.redis.tlsHint(net) : net;
  const text = messageOf(error);
  if (/^WRONGPASS/.test(text) || /^ERR invalid (username-)?password/i.test(text)) {
    const user = url?.username ? decodeURIComponent(url.username) : '';
    return user ? say.check.redis.wrongUserPassword(user) : say.check.redis.wrongPassword;
  }
  if (/^NOAUTH/.test(text)) return say.check.redis.noAuth;
  if (/without any password configured/i.test(text)) return say.check.redis.noPasswordSet;
  if (/DB index is out of range/i.test(text)) return say.check.redis.noDatabase(url?.pathname.slice(1) || '?');
  if (/^LOADING/.test(text)) return say.check.redis.loading;
  if (/^MASTERDOWN/.test(text)) return say.check.redis.masterDown;
  if (/Socket closed unexpectedly/i.test(text)) return say.check.probe.closedByServer;
  if (/^Unknown RESP type/.test(text)) return say.check.probe.malformed('redis', maskText(text.slice(0, 100)));
  if (/Connection timeout/i.test(text)) return say.check.net.timedOut;
  return maskText(text.split('\n')[0]!.slice(0, 200));
}

export const redis = defineCheck({
  type: 'redis',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      url: z
        .string()
        .refine(isRedisUrl, 'must be a redis://, rediss:// or unix:// URL, like redis://:PASSWORD@127.0.0.1:6379/0'),
      max_response_ms: z.number().positive().optional(),
      /** rediss:// only: false accepts a self-signed or otherwise unverifiable certificate. */
      tls_verify: z.boolean().default(true),
    });
  },
  timeoutLevel: 'CRITICAL',
  timedInWorker: true,
  async run(cfg, ctx) {
    const shownUrl = maskUrl(cfg.url);
    const url = cfg.url.startsWith('unix:') ? undefined : new URL(cfg.url);
    const tls = url?.protocol === 'rediss:';
    const details = { url: shownUrl };
    // node-redis is loaded in the worker, and the clock starts there once it is: loading is not the server's time.
    // The worker machinery is loaded by the first check that needs it: the default cycle has none (docs/checks-timing.md).
    const { runProbe } = await import('../probes/host.js');
    const outcome = await runProbe(
      // node-redis' own connect timeout is a backstop only: the engine decides at the check's timeout and stops the worker.
      { kind: 'redis', url: cfg.url, tlsVerify: cfg.tls_verify, connectTimeoutMs: cfg.timeout + 1000 },
      { signal: ctx.signal, label: 'redis', timeoutMs: cfg.timeout },
    );
    if (outcome.died) return deathOutcome(outcome.died, shownUrl, details);
    const reply = outcome.reply;
    if (!reply.ok) {
      const why = describeTooMuch(reply.error, 'redis') ?? describeRedisError(reply.error, url);
      return failedOutcome(why, reply.elapsedMs, shownUrl, details);
    }

    const ms = round1(reply.timings.total_ms);
    const perf = [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }];
    const withTimings = { ...details, timings: timingDetails(reply.timings) };
    if (reply.answer !== 'PONG') {
      const why = say.check.redis.unexpectedReply(maskText(String(reply.answer)).slice(0, 100));
      return {
        level: 'CRITICAL',
        message: why,
        logMessage: say.check.redis.from(why, shownUrl, ms),
        responseTimeMs: ms,
        details: withTimings,
        perf,
      };
    }
    let level: Level = 'OK';
    let message = say.check.redis.pong(tls);
    if (cfg.max_response_ms !== undefined && ms > cfg.max_response_ms) {
      level = 'WARNING';
      message += say.check.probe.slow(ms, cfg.max_response_ms);
    }
    return {
      level,
      message,
      logMessage: say.check.redis.from(message, shownUrl, ms),
      responseTimeMs: ms,
      details: withTimings,
      perf,
    };
  },
});
