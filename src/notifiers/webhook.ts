// Generic webhook: POSTs the run's JSON report (docs/reference.md#json-report) plus the transition (`alert`) as JSON.
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import { messageBody, type AlertMessage } from '../alerts/message.js';
import { maskDeep } from '../util/mask.js';
import { loadUndici, postJson, sendWhole } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const webhookSchema = builtOnce(() =>
  strictObject({
    url: z.string().regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL'),
    headers: z.record(z.string(), z.string()).default({}),
  }),
);

export type WebhookConfig = z.output<ReturnType<typeof webhookSchema>>;

/** The JSON posted: the §6 report's fields at the top (as status.json has them), the transition under `alert`. */
export function webhookPayload(msg: AlertMessage, ctx: Pick<SendContext, 'now' | 'report'>): Record<string, unknown> {
  const report = msg.report ?? (msg.kind === 'test' ? undefined : ctx.report);
  return maskDeep({
    ...(report ?? { host: msg.host, time: msg.time }),
    alert: {
      kind: msg.kind,
      subject: msg.subject,
      time: msg.time,
      host: msg.host,
      text: messageBody(msg, ctx.now),
      checks: msg.entries,
    },
  });
}

export const webhookNotifier: Notifier<WebhookConfig> = {
  kind: 'webhook',
  carriesReport: true,
  get schema() {
    return webhookSchema();
  },
  label: (cfg) => {
    try {
      return `webhook (${new URL(cfg.url).host})`;
    } catch {
      return 'webhook';
    }
  },
  // The URL's path and query often carry the token, and headers an Authorization: none may be written anywhere.
  secrets: (cfg) => {
    const secrets = [cfg.url, ...Object.values(cfg.headers)];
    try {
      const url = new URL(cfg.url);
      const path = `${url.pathname}${url.search}`.replace(/^\//, '');
      if (path) secrets.push(path);
    } catch {
      // not a URL: the schema refuses it anyway
    }
    return secrets;
  },
  prepare: async () => void (await loadUndici()),
  // A 4xx no retry can fix is refused for good (logged once, not retried); 429, 5xx and timeouts are retried.
  send: (cfg: WebhookConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('webhook', () =>
      postJson(cfg.url, webhookPayload(msg, ctx), ctx, { headers: cfg.headers, honourRetryAfter: true }),
    ),
};
