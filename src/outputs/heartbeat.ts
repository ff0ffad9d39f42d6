// `outputs.heartbeat`: a dead-man's-switch ping per run, healthchecks.io style (URL, URL/fail, URL/start).
// node:http/https, not undici: this is on every run's path and undici alone costs ~100 ms to load.
import { say } from '../i18n/index.js';
import type { Level } from '../levels.js';
import type { BeforeRunContext, StepContext } from '../run-context.js';
import type { CheckResult, RunReport } from '../types.js';
import { maskSecrets } from '../util/mask.js';
import { countsText } from '../run-report/summary-line.js';
import { codeOf } from '../util/errors.js';

export type PingKind = 'start' | 'success' | 'fail';

/** healthchecks.io: the plain URL on success, `/fail` on CRITICAL (only: WARNING and UNKNOWN still ran fine). */
export function pingKindFor(level: Level): PingKind {
  return level === 'CRITICAL' ? 'fail' : 'success';
}

/** The URL for one kind of ping: the suffix goes on the path, a query string (`?rid=…`) stays where it is. */
export function pingUrl(base: string, kind: PingKind): string {
  if (kind === 'success') return base;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${kind}`;
  return url.toString();
}

/**
 * The ping URL as it may be shown: the path after its first segment is the check's secret
 * (`/ping/<uuid>`, `/<uuid>`), so it is masked whatever the host.
 */
export function maskPingUrl(url: string, base: string = url): string {
  let secrets: string[] = [];
  try {
    const segments = new URL(base).pathname.split('/').filter(Boolean);
    secrets = segments.length > 1 ? segments.slice(1) : segments;
  } catch {
    // not a URL: maskText below still hides credentials
  }
  return maskSecrets(url, secrets);
}

/** What healthchecks.io keeps as the ping's body: the run's one-line summary and each failing check. */
export function heartbeatBody(report: RunReport, results: readonly CheckResult[]): string {
  const lines = [
    `${report.level} (${countsText(report.summary)}) on ${report.host} in ${Math.round(report.duration_ms)} ms`,
  ];
  for (const result of results)
    if (result.level !== 'OK') lines.push(`${result.level} ${result.name}: ${result.message}`);
  return lines.join('\n') + '\n';
}

/**
 * POST one ping and wait for a 2xx answer, at most `timeoutMs` or until `signal` aborts (the run's deadline). Throws
 * an Error whose message names the masked URL and the reason; the caller logs it, a failed ping never fails the run.
 * The status line is the whole answer: the body is never read, so a peer streaming one costs no memory.
 */
export async function sendPing(
  url: string,
  body: string,
  timeoutMs: number,
  base: string = url,
  signal?: AbortSignal,
): Promise<void> {
  const target = new URL(url);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const shown = maskPingUrl(url, base);
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(say.run.pingFailed(shown, maskSecrets(why, [url]))));
    const payload = Buffer.from(body, 'utf8');
    const req = request(
      target,
      {
        method: 'POST',
        // agent: false closes the socket after the answer, so nothing keeps the process waiting afterwards.
        agent: false,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': payload.length,
          'user-agent': 'neuronova-health-check',
        },
      },
      (res) => {
        stop();
        req.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else fail(`HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
      },
    );
    const giveUp = (why: string) => {
      stop();
      req.destroy();
      fail(why);
    };
    const timer = setTimeout(() => giveUp(say.run.pingNoAnswer(timeoutMs)), timeoutMs);
    const onAbort = () => giveUp("no answer before the run's deadline");
    signal?.addEventListener('abort', onAbort, { once: true });
    const stop = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // `on`, not `once`: destroying the request after its answer may emit one more error, which must not go unheard.
    req.on('error', (error) => {
      stop();
      fail(codeOf(error) ?? error.message);
    });
    if (signal?.aborted) return onAbort();
    req.end(payload);
  });
}

/** After-run step: the success or `/fail` ping, its body the run's summary. */
export async function heartbeatStep(ctx: StepContext): Promise<void> {
  const cfg = ctx.config.outputs.heartbeat!;
  const kind = pingKindFor(ctx.report.level);
  const url = pingUrl(cfg.url, kind);
  await sendPing(url, heartbeatBody(ctx.report, ctx.results), cfg.timeout, cfg.url, ctx.signal);
  ctx.log.write('INFO', say.run.heartbeatSent(maskPingUrl(url, cfg.url)));
}

/** Before the checks: the `/start` ping, so the monitor measures run time and notices a run that never ends. */
export async function heartbeatStart(ctx: BeforeRunContext): Promise<void> {
  const cfg = ctx.config.outputs.heartbeat!;
  await sendPing(pingUrl(cfg.url, 'start'), '', cfg.timeout, cfg.url, ctx.signal);
}
