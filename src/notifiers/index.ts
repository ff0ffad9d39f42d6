// The channel registry (registry.ts, one line per channel) and what is derived from it: the kinds, each kind's
// config type, and the configured channels bound to their notifiers, ready to send.
import type { AlertMessage } from '../alerts/message.js';
import type { Notifier, SendContext, SendResult } from './notifier.js';
import * as registry from './registry.js';

/** The registry as a plain object (kind → notifier). */
export const NOTIFIERS = { ...registry };

/** A channel's key under `alerts:` (`email`, `slack`, …); the registry's order (by name) is the order they are named in. */
export type ChannelKind = keyof typeof NOTIFIERS;
export const CHANNEL_KINDS = Object.keys(NOTIFIERS) as ChannelKind[];

type ConfigOf<N> = N extends Notifier<infer C> ? C : never;
/** Each channel's validated config, as its own schema outputs it. */
export type ChannelConfigs = { [K in ChannelKind]: ConfigOf<(typeof NOTIFIERS)[K]> };

// Every line of the registry must be a Notifier: a wrong one fails to compile here.
const _registryIsConsistent: { [K in ChannelKind]: Notifier<ChannelConfigs[K]> } = NOTIFIERS;
void _registryIsConsistent;

/** `alerts.email, alerts.slack or alerts.webhook`: what a config that names no channel should add. */
export function channelKeysText(): string {
  const keys = CHANNEL_KINDS.map((kind) => `alerts.${kind}`);
  return keys.length > 1 ? `${keys.slice(0, -1).join(', ')} or ${keys.at(-1)}` : keys.join('');
}

/** One configured channel, ready to send: its notifier and config bound together. */
export interface Channel {
  kind: ChannelKind;
  label: string;
  secrets: string[];
  /** Separate deliveries of one message (email addresses); empty when the channel has one destination. */
  recipients: string[];
  /** It posts the report of the run that made the message (kept with the message when it is retried). */
  carriesReport: boolean;
  /** Told every run what fails now (the run's snapshot) instead of the transition messages. */
  refreshEveryRun: boolean;
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
    carriesReport: notifier.carriesReport === true,
    refreshEveryRun: notifier.refreshEveryRun === true,
    prepare: async () => notifier.prepare?.(),
    send: (msg, ctx, only) => notifier.send(cfg, msg, ctx, only),
  };
}

/** The channels the config (or env ALERT_EMAIL / SLACK_WEBHOOK) names, in CHANNEL_KINDS order. */
export function configuredChannels(alerts: { [K in ChannelKind]?: ChannelConfigs[K] | undefined }): Channel[] {
  const channels: Channel[] = [];
  for (const kind of CHANNEL_KINDS) {
    const cfg = alerts[kind];
    if (cfg) channels.push(bind(kind, cfg as ChannelConfigs[typeof kind]));
  }
  return channels;
}
