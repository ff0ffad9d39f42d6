// Slack incoming webhook: `text` for notifications plus blocks for the channel, 429 Retry-After honoured.
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import {
  entryDetails,
  entryHeadline,
  lateNote,
  messageBody,
  messageText,
  moreLine,
  timeLine,
  type AlertMessage,
} from '../alerts/message.js';
import { maskText } from '../util/mask.js';
import { say } from '../i18n/index.js';
import { loadUndici, oneLine, postJson, sendWhole } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const slackSchema = builtOnce(() =>
  strictObject({
    webhook: z.string().regex(/^https?:\/\/[^/\s]+/i, 'must be the https:// incoming-webhook URL Slack gave you'),
  }),
);

export type SlackConfig = z.output<ReturnType<typeof slackSchema>>;

const MAX_SECTION = 2900; // Slack refuses a section text over 3000 characters
const MAX_ENTRY_BLOCKS = 45; // and a message over 50 blocks

/** Slack mrkdwn treats &, < and > as markup. */
const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (text: string): string => (text.length > MAX_SECTION ? `${text.slice(0, MAX_SECTION)}…` : text);
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text) } });

export function slackPayload(msg: AlertMessage, sentAt: Date): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [section(`*${escapeMrkdwn(maskText(msg.subject))}*`)];
  // alerts.template's body is told as written, in place of the per-check blocks (docs/alerting.md#templates)
  if (msg.body !== undefined)
    return {
      text: cut(messageText(msg, sentAt)),
      blocks: [...blocks, section(escapeMrkdwn(messageBody(msg, sentAt)))],
    };
  const late = lateNote(msg, sentAt);
  if (late) blocks.push(section(`_${escapeMrkdwn(late)}_`));
  if (msg.kind === 'test') blocks.push(section(escapeMrkdwn(say.alert.slackTest)));
  const shown = msg.entries.slice(0, MAX_ENTRY_BLOCKS);
  for (const entry of shown) {
    const details = entryDetails(entry)
      .map((line) => `\n${escapeMrkdwn(maskText(line))}`)
      .join('');
    blocks.push(section(`*${escapeMrkdwn(maskText(entryHeadline(entry, msg.time)))}*${details}`));
  }
  if (msg.entries.length > shown.length) {
    blocks.push(
      section(
        escapeMrkdwn(
          say.alert.andMore(
            msg.entries.length - shown.length,
            msg.entries.slice(shown.length).map((e) => e.check),
          ),
        ),
      ),
    );
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: cut(escapeMrkdwn(maskText(`${timeLine(msg)} · ${moreLine(msg)}`))) }],
  });
  // `text` is what notifications and old clients show: the subject first, then the whole plain message.
  return { text: cut(messageText(msg, sentAt)), blocks };
}

/** The path of an incoming webhook is its token. */
function webhookPath(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const path = `${parsed.pathname}${parsed.search}`.replace(/^\//, '');
    return path || undefined;
  } catch {
    return undefined;
  }
}

export const slackNotifier: Notifier<SlackConfig> = {
  kind: 'slack',
  get schema() {
    return slackSchema();
  },
  label: () => 'slack',
  prepare: async () => void (await loadUndici()),
  secrets: (cfg) => [cfg.webhook, webhookPath(cfg.webhook) ?? ''].filter(Boolean),
  // A 4xx no retry can fix (a revoked webhook: 403/404/410) is refused for good, as for the other webhooks.
  send: (cfg: SlackConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('slack', async () => {
      const { status, text } = await postJson(cfg.webhook, slackPayload(msg, ctx.now), ctx, { honourRetryAfter: true });
      // Slack answers a posted message with the body "ok"; anything else (a proxy's page, an error word) was not posted.
      if (text.trim() !== 'ok')
        throw new Error(
          `HTTP ${status} but the answer was ${text.trim() ? `"${oneLine(text, 80)}"` : 'empty'}, not Slack's "ok"`,
        );
    }),
};
