// Telegram Bot API: sendMessage in HTML parse mode (every text escaped); "sent" only on the API's `ok: true`.
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import type { AlertMessage } from '../alerts/message.js';
import { chatBody, chatTitle, cut } from './chat-text.js';
import { HttpRefusal, loadUndici, oneLine, postJson, sendWhole } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const telegramSchema = builtOnce(() =>
  strictObject({
    /** The token @BotFather gave: 123456789:AA… */
    bot_token: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be the token @BotFather gave, like 123456789:AAE…'),
    /** A chat id (-1001234567890 for a group or channel) or @channelusername. */
    chat_id: z.union([
      z.number().int(),
      z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'must be a chat id like -1001234567890 or @channelname'),
    ]),
    /** Another Bot API server (a local one, or a proxy); https://api.telegram.org when absent. */
    api_url: z
      .string()
      .regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL')
      .optional(),
  }),
);

export type TelegramConfig = z.output<ReturnType<typeof telegramSchema>>;

/** Telegram refuses a message over 4,096 characters (after entities are parsed). */
const MAX_TEXT = 4000;

/** HTML parse mode knows &, < and > as markup; nothing else needs escaping. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function telegramPayload(cfg: TelegramConfig, msg: AlertMessage, sentAt: Date): Record<string, unknown> {
  const body = cut(chatBody(msg, sentAt), MAX_TEXT - chatTitle(msg).length - 20);
  return {
    chat_id: cfg.chat_id,
    text: `<b>${escapeHtml(chatTitle(msg))}</b>\n\n${escapeHtml(body)}`,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

const endpoint = (cfg: TelegramConfig) =>
  `${(cfg.api_url ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${cfg.bot_token}/sendMessage`;

/** The API's own words for a refusal (`Bad Request: chat not found`) instead of its JSON. */
function described(error: unknown): unknown {
  if (!(error instanceof HttpRefusal)) return error;
  const json = /\{.*\}/s.exec(error.message)?.[0];
  try {
    const answer = JSON.parse(json ?? '') as { description?: unknown };
    if (typeof answer.description === 'string')
      return new HttpRefusal(`HTTP ${error.status}: ${oneLine(answer.description, 160)}`, error.status);
  } catch {
    // not the API's JSON: keep the line as it is
  }
  return error;
}

export const telegramNotifier: Notifier<TelegramConfig> = {
  kind: 'telegram',
  get schema() {
    return telegramSchema();
  },
  label: (cfg) => `telegram (${cfg.chat_id})`,
  // The bot token sits in the URL path: every error that could echo the URL is masked by it.
  secrets: (cfg) => [cfg.bot_token, `bot${cfg.bot_token}`],
  prepare: async () => void (await loadUndici()),
  send: (cfg: TelegramConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('telegram', async () => {
      const { status, text } = await postJson(endpoint(cfg), telegramPayload(cfg, msg, ctx.now), ctx, {
        honourRetryAfter: true,
      }).catch((error: unknown) => {
        throw described(error);
      });
      let answer: { ok?: unknown } = {};
      try {
        answer = JSON.parse(text) as { ok?: unknown };
      } catch {
        // checked below
      }
      if (answer.ok !== true)
        throw new Error(
          `HTTP ${status} but the answer was ${text.trim() ? `"${oneLine(text, 80)}"` : 'empty'}, not the Bot API's "ok": true`,
        );
    }),
};
