// POSTs JSON (or text) with undici (loaded only when a message is sent), bounded by the send's time, honouring 429 Retry-After.
import { say } from '../i18n/index.js';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptedWhole, type SendContext, type SendResult } from './notifier.js';
import { codeOf, messageOf } from '../util/errors.js';

const MAX_BODY = 64 * 1024;
const MAX_ATTEMPTS = 4;

/** Retry-After is seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : Math.max(0, when - now);
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy?: () => void }): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += Buffer.from(chunk).toString('utf8');
    if (text.length > MAX_BODY) break;
  }
  body.destroy?.();
  return text;
}

export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

let undici: Promise<typeof import('undici')> | undefined;
/** undici, loaded once and only when a message is sent. */
export const loadUndici = (): Promise<typeof import('undici')> => (undici ??= import('undici'));

/** The far end answered with an error status; `permanent` when no retry can fix it (docs/alerting.md#the-channels). */
export class HttpRefusal extends Error {
  readonly permanent: boolean;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.permanent = isPermanentStatus(status);
  }
}

/** A 4xx is the request itself (a revoked token, an unknown chat, a malformed event): sending it again fails again.
 * 408, 425 and 429 are the far end's load, and 5xx its trouble: those are retried from the outbox. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** The body as is, with this content type, instead of `payload` as JSON (ntfy posts plain text). */
  contentType?: string;
  /** Wait and retry on 429 when the server's Retry-After still fits in the time left (Slack asks for it). */
  honourRetryAfter: boolean;
}

/**
 * POST `payload` as JSON; resolves with the answer's status and (capped) text on 2xx, throws one readable line
 * (an HttpRefusal when the far end answered) otherwise. A 429 whose Retry-After fits in the time left is waited out
 * and retried; one that does not is a failure (the message stays in the outbox).
 */
export async function postJson(
  url: string,
  payload: unknown,
  ctx: SendContext,
  options: PostOptions,
): Promise<{ status: number; text: string }> {
  const { Agent, request } = await loadUndici();
  // A private agent, closed afterwards: a cron run must not keep sockets (or the event loop) alive.
  const agent = new Agent({ keepAliveTimeout: 1000, connections: 1 });
  const body = options.contentType ? String(payload) : JSON.stringify(payload);
  const contentType = options.contentType ?? 'application/json; charset=utf-8';
  try {
    for (let attempt = 1; ; attempt++) {
      const budget = Math.floor(ctx.remainingMs());
      if (budget <= 0) throw new Error("no time left before the run's deadline");
      const timeout = AbortSignal.timeout(budget);
      const signal = AbortSignal.any([ctx.signal, timeout]);
      let response: Awaited<ReturnType<typeof request>>;
      let text: string;
      try {
        response = await request(url, {
          method: 'POST',
          headers: { 'content-type': contentType, 'user-agent': 'neuronova-health-check', ...options.headers },
          body,
          signal,
          dispatcher: agent,
          headersTimeout: budget,
          bodyTimeout: budget,
        });
        text = await readCapped(response.body);
      } catch (error) {
        if (signal.aborted) throw new Error(say.delivery.timeout(say.duration(budget)));
        const code = codeOf(error);
        const message = messageOf(error);
        throw new Error(code && !message.includes(code) ? `${code}: ${message}` : message);
      }
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { status, text };
      const what = `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim();
      if (status === 429 && options.honourRetryAfter && attempt < MAX_ATTEMPTS) {
        const wait = retryAfterMs(response.headers['retry-after']) ?? 1000;
        // keep a second for the retry itself
        if (wait + 1000 <= ctx.remainingMs()) {
          await sleep(wait, undefined, { signal: ctx.signal });
          continue;
        }
        throw new HttpRefusal(say.delivery.waitPastDeadline(what, say.duration(wait)), status);
      }
      throw new HttpRefusal(`${what}${text.trim() ? `: ${oneLine(text)}` : ''}`, status);
    }
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/**
 * One delivery to a channel's one destination: accepted when `post` resolves; refused for good (logged once, never
 * retried) on a 4xx no retry can fix; anything else throws, and the message is retried from the outbox.
 */
export async function sendWhole(destination: string, post: () => Promise<unknown>): Promise<SendResult> {
  try {
    await post();
    return acceptedWhole(destination);
  } catch (error) {
    if (error instanceof HttpRefusal && error.permanent)
      return { accepted: [], rejected: [{ recipient: destination, reason: error.message }], deferred: [] };
    throw error;
  }
}

/** The path and query of a URL: a webhook's token lives there (Slack, Discord, Teams' `sig`, an ntfy topic). */
export function urlPath(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`.replace(/^\//, '') || undefined;
  } catch {
    return undefined;
  }
}

/** `name (host)` for log lines: where it goes, without the secret part. */
export function labelWithHost(name: string, url: string): string {
  try {
    return `${name} (${new URL(url).host})`;
  } catch {
    return name;
  }
}
