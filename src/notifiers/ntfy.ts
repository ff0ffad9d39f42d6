// ntfy (ntfy.sh or self-hosted): the body as plain text, Title/Priority/Tags headers, recovery at low priority.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import type { AlertMessage } from '../alerts/message.js';
import { chatBody, chatTitle, toneOf, type Tone } from './chat-text.js';
import { labelWithHost, loadUndici, oneLine, postJson, sendWhole, urlPath } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

const PRIORITY_NAMES = ['min', 'low', 'default', 'high', 'max', 'urgent'] as const;
const PRIORITY_NUMBER: Record<(typeof PRIORITY_NAMES)[number], number> = {
  min: 1,
  low: 2,
  default: 3,
  high: 4,
  max: 5,
  urgent: 5,
};

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const ntfySchema = builtOnce(() =>
  strictObject({
    /** The topic URL: https://ntfy.sh/<topic> or https://ntfy.example.com/<topic>. */
    url: z.string().regex(/^https?:\/\/[^/\s]+\/[^/\s?#]+/i, 'must be the topic URL, like https://ntfy.sh/my-alerts'),
    /** An access token (tk_…), sent as `Authorization: Bearer`. */
    token: z.string().min(1).optional(),
    /** Priority of problem messages (1–5 or min, low, default, high, max); recovery is always low. */
    priority: z
      .union([z.number().int().min(1).max(5), z.enum(PRIORITY_NAMES).transform((name) => PRIORITY_NUMBER[name])])
      .optional(),
  }),
);

export type NtfyConfig = z.output<ReturnType<typeof ntfySchema>>;

/** ntfy keeps messages up to 4,096 bytes as text (longer ones become attachments, or are refused). */
const MAX_BYTES = 4000;

const TAGS: Record<Tone, string> = {
  critical: 'rotating_light',
  warning: 'warning',
  flapping: 'arrows_counterclockwise',
  recovered: 'white_check_mark',
  test: 'test_tube',
};

/** Problem priority: the configured one, else high for CRITICAL and default for the rest. */
function priorityOf(tone: Tone, configured: number | undefined): number {
  if (tone === 'recovered') return 2;
  if (tone === 'test') return 3;
  return configured ?? (tone === 'critical' ? 4 : 3);
}

/** HTTP headers carry Latin-1 only: a title with other characters goes RFC 2047-encoded, which ntfy decodes. */
export function headerText(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const mark = `\n…${say.alert.cutHere}`;
  let cut = text.slice(0, max);
  while (Buffer.byteLength(cut, 'utf8') > max - Buffer.byteLength(mark, 'utf8')) cut = cut.slice(0, -16);
  return `${cut}${mark}`;
}

/** The request ntfy gets: the headers and the plain-text body. */
export function ntfyRequest(
  cfg: NtfyConfig,
  msg: AlertMessage,
  sentAt: Date,
): { headers: Record<string, string>; body: string } {
  const tone = toneOf(msg);
  return {
    headers: {
      title: headerText(chatTitle(msg)),
      priority: String(priorityOf(tone, cfg.priority)),
      tags: TAGS[tone],
      ...(cfg.token ? { authorization: `Bearer ${cfg.token}` } : {}),
    },
    body: cutBytes(chatBody(msg, sentAt), MAX_BYTES),
  };
}

export const ntfyNotifier: Notifier<NtfyConfig> = {
  kind: 'ntfy',
  get schema() {
    return ntfySchema();
  },
  label: (cfg) => labelWithHost('ntfy', cfg.url),
  // The topic is its own password on a public server; the token is one.
  secrets: (cfg) => [cfg.url, urlPath(cfg.url) ?? '', cfg.token ?? ''].filter(Boolean),
  prepare: async () => void (await loadUndici()),
  send: (cfg: NtfyConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('ntfy', async () => {
      const { headers, body } = ntfyRequest(cfg, msg, ctx.now);
      const { status, text } = await postJson(cfg.url, body, ctx, {
        headers,
        contentType: 'text/plain; charset=utf-8',
        honourRetryAfter: true,
      });
      // ntfy answers a published message with its JSON (an id); a proxy's page is not a published message.
      if (!/"id"\s*:/.test(text))
        throw new Error(
          `HTTP ${status} but the answer was ${text.trim() ? `"${oneLine(text, 80)}"` : 'empty'}, not ntfy's message JSON`,
        );
    }),
};
