// Prometheus Alertmanager: each run POSTs what fires now to /api/v2/alerts (endsAt ahead), and ends what stopped.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import type { AlertEntry, AlertMessage } from '../alerts/message.js';
import { builtOnce, duration, strictObject } from '../config/schema-kit.js';
import { maskText } from '../util/mask.js';
import { labelWithHost, loadUndici, postJson, sendWhole } from './http-post.js';
import { mailHost } from './mail-host.js';
import type { Notifier, SendContext } from './notifier.js';

export const ALERTNAME = 'NeuronovaCheckFailing';
export const TEST_ALERTNAME = 'NeuronovaTestAlert';
/** Cron runs every 5 minutes: three missed runs let the alerts expire (docs/alerting.md#alertmanager). */
export const DEFAULT_EXPIRES_AFTER_MS = 15 * 60_000;
/** Labels each alert's identity is made of: the checker sets them, the config may not. */
const OWN_LABELS = ['check', 'type', 'severity'];

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const alertmanagerSchema = builtOnce(() =>
  strictObject({
    /** Alertmanager's base URL (http://alertmanager:9093); /api/v2/alerts is added. */
    url: z.string().regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL like http://alertmanager:9093'),
    /** Extra labels on every alert (team, env, cluster); `instance` and `alertname` may be replaced here. */
    labels: z
      .record(z.string(), z.string())
      .superRefine((labels, ctx) => {
        for (const name of Object.keys(labels)) {
          if (OWN_LABELS.includes(name))
            ctx.addIssue({ code: 'custom', path: [name], message: `${OWN_LABELS.join(', ')} are set by the checker` });
          else if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'a label name is letters, digits and _ (not starting with a digit)',
            });
        }
      })
      .default({}),
    /** Sent as `Authorization: Bearer` (an Alertmanager behind an authenticating proxy). */
    token: z.string().min(1).optional(),
    /** How long an alert fires without being refreshed: past it, a checker that stopped running lets it expire. */
    expires_after: duration()
      .refine((ms) => ms >= 60_000 && ms <= 86_400_000, 'must be between 1m and 1d')
      .default(DEFAULT_EXPIRES_AFTER_MS),
  }),
);

export type AlertmanagerConfig = z.output<ReturnType<typeof alertmanagerSchema>>;

interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

const iso = (time: string | number): string => new Date(time).toISOString();
const severityOf = (entry: AlertEntry): 'critical' | 'warning' => (entry.level === 'WARNING' ? 'warning' : 'critical');

function labelsOf(
  cfg: AlertmanagerConfig,
  instance: string,
  entry: AlertEntry,
  severity: string,
): Record<string, string> {
  return {
    alertname: ALERTNAME,
    instance,
    check: entry.check,
    ...(entry.type ? { type: entry.type } : {}),
    severity,
    ...cfg.labels,
  };
}

function annotationsOf(host: string, entry: AlertEntry): Record<string, string> {
  const words =
    entry.kind === 'recovered'
      ? say.alert.noLongerFailing(entry.check, host)
      : say.alert.failingOn(entry.check, entry.level, host, entry.message);
  return {
    summary: maskText(words),
    description: maskText([entry.message, entry.target, entry.note].filter(Boolean).join('\n')),
    ...(entry.hint && entry.kind !== 'recovered' ? { hint: maskText(entry.hint) } : {}),
  };
}

/**
 * The alerts of one snapshot. Severity is a label, so an alert that went from warning to critical is another alert:
 * each check also ends its alert at the other severity, and a recovered check ends both.
 */
export function alertmanagerAlerts(cfg: AlertmanagerConfig, msg: AlertMessage, instance = msg.host): PostableAlert[] {
  const at = Date.parse(msg.time);
  if (msg.kind === 'test') {
    return [
      {
        labels: { alertname: TEST_ALERTNAME, instance, check: 'test-alert', severity: 'info', ...cfg.labels },
        annotations: { summary: maskText(msg.subject), description: say.alert.testEndsItself },
        startsAt: iso(at),
        endsAt: iso(at + 5 * 60_000),
      },
    ];
  }
  const alerts: PostableAlert[] = [];
  for (const entry of msg.entries) {
    const annotations = annotationsOf(msg.host, entry);
    const startsAt = iso(entry.since ?? at);
    const end = (severity: string): PostableAlert => ({
      labels: labelsOf(cfg, instance, entry, severity),
      annotations,
      startsAt,
      endsAt: iso(at),
    });
    if (entry.kind === 'recovered') {
      alerts.push(end('critical'), end('warning'));
      continue;
    }
    const severity = severityOf(entry);
    alerts.push({
      labels: labelsOf(cfg, instance, entry, severity),
      annotations,
      startsAt,
      endsAt: iso(at + cfg.expires_after),
    });
    alerts.push(end(severity === 'critical' ? 'warning' : 'critical'));
  }
  return alerts;
}

const endpoint = (cfg: AlertmanagerConfig) => `${cfg.url.replace(/\/+$/, '')}/api/v2/alerts`;

function urlPassword(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}

export const alertmanagerNotifier: Notifier<AlertmanagerConfig> = {
  kind: 'alertmanager',
  // Alertmanager does grouping, dedup and repeats itself; it needs each run's truth (docs/alerting.md#alertmanager).
  refreshEveryRun: true,
  get schema() {
    return alertmanagerSchema();
  },
  label: (cfg) => labelWithHost('alertmanager', cfg.url),
  secrets: (cfg) => [cfg.token ?? '', urlPassword(cfg.url) ?? ''].filter(Boolean),
  prepare: async () => void (await loadUndici()),
  send: (cfg: AlertmanagerConfig, msg: AlertMessage, ctx: SendContext) =>
    sendWhole('alertmanager', async () => {
      // `instance` is the host's fully qualified name, found as email's From finds it (/etc/hosts, then DNS)
      const instance = cfg.labels.instance ?? (await mailHost(Math.min(1000, ctx.remainingMs() / 4), msg.host)).name;
      await postJson(endpoint(cfg), alertmanagerAlerts(cfg, msg, instance), ctx, {
        honourRetryAfter: true,
        ...(cfg.token ? { headers: { authorization: `Bearer ${cfg.token}` } } : {}),
      });
    }),
};
