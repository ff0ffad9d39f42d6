// Discord webhook: one embed coloured by level (title = subject, description = body); the webhook path is its token.
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import { PROGRAM, type AlertMessage } from '../alerts/message.js';
import { chatBody, chatTitle, cut, toneOf, type Tone } from './chat-text.js';
import { loadUndici, postJson, sendWhole, urlPath } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const discordSchema = builtOnce(() =>
  strictObject({
    webhook: z
      .string()
      .regex(
        /^https?:\/\/[^/\s]+\/\S+/i,
        'must be the webhook URL Discord gave you, like https://discord.com/api/webhooks/<id>/<token>',
      ),
  }),
);

export type DiscordConfig = z.output<ReturnType<typeof discordSchema>>;

/** Embed colours (24-bit RGB): red, amber, orange, green, blue. */
export const DISCORD_COLOURS: Record<Tone, number> = {
  critical: 0xd32f2f,
  warning: 0xf9a825,
  flapping: 0xef6c00,
  recovered: 0x2e7d32,
  test: 0x1976d2,
};

// Discord's limits: title 256, description 4,096 characters (6,000 for the whole embed).
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 4000;

export function discordPayload(msg: AlertMessage, sentAt: Date): Record<string, unknown> {
  return {
    username: PROGRAM,
    // no @everyone or role pings from check messages
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: cut(chatTitle(msg), MAX_TITLE),
        description: cut(chatBody(msg, sentAt), MAX_DESCRIPTION),
        color: DISCORD_COLOURS[toneOf(msg)],
        timestamp: new Date(msg.time).toISOString(),
        footer: { text: `${PROGRAM} on ${msg.host}` },
      },
    ],
  };
}

export const discordNotifier: Notifier<DiscordConfig> = {
  kind: 'discord',
  get schema() {
    return discordSchema();
  },
  label: () => 'discord',
  secrets: (cfg) => [cfg.webhook, urlPath(cfg.webhook) ?? ''].filter(Boolean),
  prepare: async () => void (await loadUndici()),
  // 204 No Content is Discord's "posted"; a 4xx (deleted webhook, bad embed) is refused for good.
  send: (cfg: DiscordConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('discord', () => postJson(cfg.webhook, discordPayload(msg, ctx.now), ctx, { honourRetryAfter: true })),
};
