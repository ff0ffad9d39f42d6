// `http` check: one request with node:http(s) — status, body keywords, JSON fields, response time, TLS days left.
import { say } from '../i18n/index.js';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { worst } from '../levels.js';
import { round1 } from '../util/time.js';
import { strictObject } from '../config/schema-kit.js';
import { defineCheck } from './check.js';
import { describeNetError } from './net-errors.js';
import { bodyMisses, isStatusRule, statusMatches, type StatusRule } from './http-expect.js';
import { DEFAULT_MAX_REDIRECTS, isRedirect, RedirectChain, type Hop } from './http-redirects.js';
import { HeadersTooLarge, prepareRequest, sendRequest, type HttpResponse, type Timings } from './http-request.js';
import { messageOf } from '../util/errors.js';
import { execaRequested } from './program.js';

const DAY_MS = 86_400_000;

// strictObject (not z.strictObject) so a typo like `contans` is answered with the nearest valid key.
// A function, like the getter below: schemas are built only when a config is validated (docs/performance.md).
const expectSchema = () =>
  strictObject({
    status: z
      .unknown()
      .refine(isStatusRule, 'must be a status code, a list of codes, a range like "200..399" or "2xx"')
      .optional(),
    contains: z.array(z.string().min(1)).optional(),
    not_contains: z.array(z.string().min(1)).optional(),
    json: z.record(z.string(), z.unknown()).optional(),
    max_response_ms: z.number().positive().optional(),
    cert_days: z.number().int().min(0).optional(),
  });

function describeError(error: unknown, timedOut: boolean): string {
  if (timedOut) return say.check.http.noResponse;
  if (error instanceof HeadersTooLarge) return error.message;
  const known = describeNetError(error);
  // Here the fix is one config key away: say which.
  if (known === say.check.net.selfSigned) return say.check.http.acceptSelfSigned(known);
  return known ?? messageOf(error);
}

/**
 * A check started beside this one that runs a program (systemd, command) compiles execa and forks on this thread:
 * done while this clock runs, that is 20–30 ms charged to a peer answering in 1 ms. Wait until it is loaded and the
 * fork is issued (docs/checks-timing.md).
 */
async function programsUnderWay(): Promise<void> {
  const loading = execaRequested();
  if (!loading) return;
  await loading.catch(() => {});
  await new Promise((resolve) => setImmediate(resolve));
}

export const http = defineCheck({
  type: 'http',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      url: z.string().refine((value) => /^https?:\/\/[^/\s]+/i.test(value), 'must be an http:// or https:// URL'),
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).default('GET'),
      headers: z.record(z.string(), z.string()).default({}),
      body: z.string().optional(),
      follow_redirects: z.union([z.boolean(), z.number().int().min(0).max(20)]).default(false),
      tls_verify: z.boolean().default(true),
      expect: expectSchema().default({}),
    });
  },
  timeoutLevel: 'CRITICAL',
  async run(cfg, ctx) {
    const limit =
      cfg.follow_redirects === true ? DEFAULT_MAX_REDIRECTS : cfg.follow_redirects === false ? 0 : cfg.follow_redirects;
    let hop: Hop = { url: new URL(cfg.url), method: cfg.method, body: cfg.body, headers: cfg.headers };
    const chain = new RedirectChain(hop, limit);
    let response: HttpResponse | undefined;
    // Time of the redirects before the final request (each request's own total: nothing of ours in between).
    let redirectMs = 0;
    let hopStarted: number | undefined;
    // Checks started with this one finish their synchronous start-up first: it is not this peer's time.
    await new Promise((resolve) => setImmediate(resolve));
    let refused: string | undefined;
    try {
      for (;;) {
        const start = await prepareRequest(hop.url);
        if (hopStarted === undefined) await programsUnderWay();
        hopStarted = performance.now();
        response = await sendRequest(
          start,
          { method: hop.method, headers: hop.headers, body: hop.body, verifyTls: cfg.tls_verify },
          ctx.signal,
        );
        if (limit === 0 || !isRedirect(response.status) || response.location === undefined) break;
        const next = chain.next(hop, response.status, response.location);
        if ('refused' in next) {
          refused = next.refused;
          break;
        }
        redirectMs += response.timings.total_ms;
        hop = next;
      }
    } catch (error) {
      const ms = round1(redirectMs + (hopStarted === undefined ? 0 : performance.now() - hopStarted));
      const why = describeError(error, ctx.signal.aborted);
      return {
        level: 'CRITICAL',
        message: why,
        logMessage: say.check.http.failed(why, cfg.url, ms),
        responseTimeMs: ms,
        details: { url: cfg.url },
      };
    }
    const timings = timingsOf(response.timings, redirectMs, chain.followed);
    const ms = timings.total_ms;
    const statusText = `HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
    if (refused) {
      // A chain that does not end where it should is a broken endpoint, whatever the last status said.
      const message = say.check.http.result({ level: 'CRITICAL', status: statusText, problems: [refused] });
      return {
        level: 'CRITICAL',
        message,
        logMessage: say.check.http.from(message, cfg.url, ms, false),
        responseTimeMs: ms,
        details: { http_status: response.status, url: cfg.url, redirects: chain.followed, timings },
      };
    }
    const problems: { level: Level; text: string }[] = [];

    if (!statusMatches(response.status, cfg.expect.status as StatusRule | undefined)) {
      problems.push({ level: 'CRITICAL', text: '' }); // the status itself is the message
    }
    for (const miss of bodyMisses(response.body, cfg.expect)) problems.push({ level: 'CRITICAL', text: miss });
    if (cfg.expect.max_response_ms !== undefined && ms > cfg.expect.max_response_ms) {
      problems.push({ level: 'WARNING', text: say.check.http.slow(ms, cfg.expect.max_response_ms) });
    }
    let certDaysLeft: number | undefined;
    if (response.certValidTo) {
      certDaysLeft = Math.floor((response.certValidTo.getTime() - ctx.now.getTime()) / DAY_MS);
      const limit = cfg.expect.cert_days ?? 14;
      if (certDaysLeft < limit) problems.push({ level: 'WARNING', text: say.check.http.certExpires(certDaysLeft) });
    }

    const level = worst(problems.map((p) => p.level));
    const message = say.check.http.result({
      level,
      status: statusText,
      problems: problems.map((p) => p.text).filter(Boolean),
    });
    return {
      level,
      message,
      logMessage: say.check.http.from(message, cfg.url, ms, response.truncated),
      responseTimeMs: ms,
      details: {
        http_status: response.status,
        url: cfg.url,
        ...(certDaysLeft !== undefined ? { cert_days_left: certDaysLeft } : {}),
        ...(chain.followed ? { redirects: chain.followed } : {}),
        timings,
      },
      perf: [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }],
    };
  },
});

/** The final request's phases, plus the redirects before it (docs/checks-timing.md); all rounded to 0.1 ms. */
function timingsOf(last: Timings, redirectMs: number, redirects: number): Timings & { redirect_ms?: number } {
  const rounded = Object.fromEntries(
    Object.entries(last).map(([phase, ms]) => [phase, round1(ms as number)]),
  ) as unknown as Timings;
  return {
    ...(redirects ? { redirect_ms: round1(redirectMs) } : {}),
    ...rounded,
    total_ms: round1(redirectMs + last.total_ms),
  };
}
