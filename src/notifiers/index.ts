// The channel registry: one line per notifier, typed so a channel without an entry fails to compile.
import type { AlertsConfig } from '../alerts/schema.js';
import { emailNotifier, type EmailConfig } from './email.js';
import type { AlertMessage } from '../alerts/message.js';
import type { Notifier, SendContext, SendResult } from './notifier.js';
import { slackNotifier, type SlackConfig } from './slack.js';
import { webhookNotifier, type WebhookConfig } from './webhook.js';

export interface ChannelConfigs {
  email: EmailConfig;
  slack: SlackConfig;
  webhook: WebhookConfig;
}

// The kinds live in kinds.ts (no imports); the mapped types below fail to compile if one has no notifier here,
// and this line if ChannelConfigs and the kinds ever differ.
import { CHANNEL_KINDS, type ChannelKind } from './kinds.js';
export { CHANNEL_KINDS, type ChannelKind };
const _kindsMatch: [keyof ChannelConfigs] extends [ChannelKind] ? ([ChannelKind] extends [keyof ChannelConfigs] ? true : never) : never = true;
void _kindsMatch;

export const NOTIFIERS: { [K in ChannelKind]: Notifier<ChannelConfigs[K]> } = {
  email: emailNotifier,
  slack: slackNotifier,
  webhook: webhookNotifier,
};


/** One configured channel, ready to send: its notifier and config bound together. */
export interface Channel {
  kind: ChannelKind;
  label: string;
  secrets: string[];
  /** Separate deliveries of one message (email addresses); empty when the channel has one destination. */
  recipients: string[];
  prepare(): Promise<void>;
  send(msg: AlertMessage, ctx: SendContext, only?: readonly string[]): Promise<SendResult>;
}

function bind<K extends ChannelKind>(kind: K, cfg: ChannelConfigs[K]): Channel {
  const notifier = NOTIFIERS[kind] as Notifier<ChannelConfigs[K]>;
  return {
    kind,
    label: notifier.label(cfg),
    secrets: notifier.secrets(cfg),
    recipients: notifier.recipients?.(cfg) ?? [],
    prepare: async () => notifier.prepare?.(),
    send: (msg, ctx, only) => notifier.send(cfg, msg, ctx, only),
  };
}

/** The channels the config (or env ALERT_EMAIL / SLACK_WEBHOOK) names, in CHANNEL_KINDS order. */
export function configuredChannels(alerts: Pick<AlertsConfig, ChannelKind>): Channel[] {
  const channels: Channel[] = [];
  for (const kind of CHANNEL_KINDS) {
    const cfg = alerts[kind];
    if (cfg) channels.push(bind(kind, cfg as ChannelConfigs[typeof kind]));
  }
  return channels;
}
