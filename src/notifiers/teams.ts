// Microsoft Teams through a Power Automate workflow webhook: an Adaptive Card 1.4; the URL's `sig` is its password.
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import type { AlertMessage } from '../alerts/message.js';
import { chatBody, chatTitle, cut, toneOf, type Tone } from './chat-text.js';
import { labelWithHost, loadUndici, postJson, sendWhole, urlPath } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const teamsSchema = builtOnce(() =>
  strictObject({
    /** The workflow's "When a Teams webhook request is received" URL (…/workflows/…/invoke?…&sig=…). */
    webhook: z
      .string()
      .regex(/^https?:\/\/[^/\s]+\/\S+/i, 'must be the workflow webhook URL Teams gave you (https://…/invoke?…&sig=…)'),
  }),
);

export type TeamsConfig = z.output<ReturnType<typeof teamsSchema>>;

/** Adaptive Card TextBlock colours. */
const COLOURS: Record<Tone, string> = {
  critical: 'Attention',
  warning: 'Warning',
  flapping: 'Warning',
  recovered: 'Good',
  test: 'Accent',
};

/** Teams refuses cards over about 28 KB. */
const MAX_BODY = 20_000;

export function teamsPayload(msg: AlertMessage, sentAt: Date): Record<string, unknown> {
  const body = cut(chatBody(msg, sentAt), MAX_BODY);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'TextBlock',
              text: chatTitle(msg),
              weight: 'Bolder',
              size: 'Medium',
              color: COLOURS[toneOf(msg)],
              wrap: true,
            },
            // one block per paragraph (a TextBlock joins single line breaks); its Markdown has no escape, so text goes as is
            ...body
              .split(/\n{2,}/)
              .map((part) => ({ type: 'TextBlock', text: part.replace(/\n/g, '\n\n'), wrap: true })),
          ],
        },
      },
    ],
  };
}

/** The signature (`sig`) is what makes the URL a password: masked on its own too, wherever an error quotes it. */
function signature(url: string): string[] {
  try {
    return new URL(url).searchParams.getAll('sig');
  } catch {
    return [];
  }
}

export const teamsNotifier: Notifier<TeamsConfig> = {
  kind: 'teams',
  get schema() {
    return teamsSchema();
  },
  label: (cfg) => labelWithHost('teams', cfg.webhook),
  secrets: (cfg) => [cfg.webhook, urlPath(cfg.webhook) ?? '', ...signature(cfg.webhook)].filter(Boolean),
  prepare: async () => void (await loadUndici()),
  // The workflow answers 202 Accepted once it has the request.
  send: (cfg: TeamsConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('teams', () => postJson(cfg.webhook, teamsPayload(msg, ctx.now), ctx, { honourRetryAfter: true })),
};
