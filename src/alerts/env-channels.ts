// The old script's settings carry over: env ALERT_EMAIL and SLACK_WEBHOOK add channels when the file names none.
import type { Config } from '../config/schema.js';

/** How messages name these variables. */
export const ENV_CHANNEL_VARS = 'ALERT_EMAIL / SLACK_WEBHOOK';

export function applyEnvChannels(config: Config, env: NodeJS.ProcessEnv, host: string): Config {
  const alerts = { ...config.alerts };
  if (!alerts.email && env.ALERT_EMAIL?.trim()) {
    // The old script piped into `mail`, i.e. the host's sendmail.
    alerts.email = { to: env.ALERT_EMAIL.split(/[,\s]+/).filter(Boolean), sendmail: true };
  }
  if (!alerts.slack && env.SLACK_WEBHOOK?.trim()) alerts.slack = { webhook: env.SLACK_WEBHOOK.trim() };
  if (alerts.email?.from) alerts.email = { ...alerts.email, from: alerts.email.from.replace(/\bHOST\b/g, host) };
  return { ...config, alerts };
}
