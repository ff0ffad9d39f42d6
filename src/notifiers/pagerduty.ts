// PagerDuty Events API v2: one event per check, `trigger` while it fails and `resolve` on recovery, on one dedup_key.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import { PROGRAM, type AlertEntry, type AlertMessage } from '../alerts/message.js';
import { entrySubject } from '../alerts/template.js';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import { maskText } from '../util/mask.js';
import { labelWithHost, loadUndici, oneLine, postJson, sendWhole } from './http-post.js';
import type { Notifier, SendContext } from './notifier.js';

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const pagerdutySchema = builtOnce(() =>
  strictObject({
    /** The integration key of an Events API v2 integration (32 characters). */
    routing_key: z
      .string()
      .regex(/^[A-Za-z0-9]{20,64}$/, 'must be the 32-character integration key of an Events API v2 integration'),
    /** Another Events API v2 endpoint (the EU one, a proxy); PagerDuty's own when absent. */
    url: z
      .string()
      .regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL')
      .optional(),
  }),
);

export type PagerdutyConfig = z.output<ReturnType<typeof pagerdutySchema>>;

/** One incident per host and check: reminders and a worsening level update it instead of opening another. */
export const dedupKey = (host: string, check: string): string => `${PROGRAM}/${host}/${check}`;

const SEVERITY: Record<string, string> = { CRITICAL: 'critical', WARNING: 'warning', UNKNOWN: 'error', OK: 'info' };

/** The events one message makes, in its order: a resolve per recovered check, a trigger per failing one. */
export function pagerdutyEvents(cfg: PagerdutyConfig, msg: AlertMessage): Record<string, unknown>[] {
  if (msg.kind === 'test') {
    return [
      {
        routing_key: cfg.routing_key,
        event_action: 'trigger',
        dedup_key: dedupKey(msg.host, 'test-alert'),
        payload: {
          summary: maskText(msg.subject),
          source: msg.host,
          severity: 'info',
          component: 'test-alert',
          custom_details: { note: say.alert.testResolveByHand(PROGRAM) },
        },
      },
    ];
  }
  return msg.entries.map((entry) => (entry.kind === 'recovered' ? resolve(cfg, msg, entry) : trigger(cfg, msg, entry)));
}

function trigger(cfg: PagerdutyConfig, msg: AlertMessage, entry: AlertEntry): Record<string, unknown> {
  // A flapping check may be OK right now: it is still an incident, at warning.
  const level = entry.level === 'OK' ? 'WARNING' : entry.level;
  return {
    routing_key: cfg.routing_key,
    event_action: 'trigger',
    dedup_key: dedupKey(msg.host, entry.check),
    payload: {
      summary: entrySubject(msg, entry).slice(0, 1024),
      source: msg.host,
      severity: SEVERITY[level],
      component: entry.check,
      ...(entry.since ? { timestamp: new Date(entry.since).toISOString() } : {}),
      custom_details: details(entry),
    },
  };
}

function resolve(cfg: PagerdutyConfig, msg: AlertMessage, entry: AlertEntry): Record<string, unknown> {
  return { routing_key: cfg.routing_key, event_action: 'resolve', dedup_key: dedupKey(msg.host, entry.check) };
}

function details(entry: AlertEntry): Record<string, unknown> {
  return {
    state: entry.kind,
    level: entry.level,
    message: maskText(entry.message),
    ...(entry.target ? { target: maskText(entry.target) } : {}),
    ...(entry.hint ? { hint: maskText(entry.hint) } : {}),
    ...(entry.also?.length ? { also_failing_because_of_it: entry.also } : {}),
    ...(entry.note ? { note: entry.note } : {}),
    ...(entry.since ? { failing_since: entry.since } : {}),
  };
}

export const pagerdutyNotifier: Notifier<PagerdutyConfig> = {
  kind: 'pagerduty',
  get schema() {
    return pagerdutySchema();
  },
  label: (cfg) => labelWithHost('pagerduty', cfg.url ?? PAGERDUTY_URL),
  secrets: (cfg) => [cfg.routing_key],
  prepare: async () => void (await loadUndici()),
  /**
   * One request per event, in order. When one fails the whole message is retried: a repeated trigger or resolve on
   * the same dedup_key changes nothing at PagerDuty, so what was already taken is not doubled.
   */
  send: (cfg: PagerdutyConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('pagerduty', async () => {
      for (const event of pagerdutyEvents(cfg, msg)) {
        const { status, text } = await postJson(cfg.url ?? PAGERDUTY_URL, event, ctx, { honourRetryAfter: true });
        let answer: { status?: unknown } = {};
        try {
          answer = JSON.parse(text) as { status?: unknown };
        } catch {
          // checked below
        }
        if (answer.status !== 'success')
          throw new Error(
            `HTTP ${status} but the answer was ${text.trim() ? `"${oneLine(text, 80)}"` : 'empty'}, not PagerDuty's "status": "success"`,
          );
      }
    }),
};
