// Email through nodemailer (loaded only when a message is sent): an SMTP URL, or the host's sendmail like the old `mail`.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import { messageBody, PROGRAM, type AlertMessage } from '../alerts/message.js';
import { say } from '../i18n/index.js';
import { maskText } from '../util/mask.js';
import type { Notifier, SendContext } from './notifier.js';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/;
const address = () => z.string().trim().regex(ADDRESS, 'must be an email address like ops@example.com');

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const emailSchema = builtOnce(() => strictObject({
  to: z.union([address(), z.array(address()).min(1)]).transform((to) => (Array.isArray(to) ? to : [to])),
  from: z.string().min(1).optional(),
  /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://…:465 (TLS from the start). */
  smtp: z.string().regex(/^smtps?:\/\/[^/\s]+/i, 'must be an smtp:// or smtps:// URL like smtp://user:pass@mail.example.com:587').optional(),
  /** true: the host's sendmail (found on PATH, /usr/sbin or /usr/lib); a string: that program. */
  sendmail: z.union([z.boolean(), z.string().min(1)]).optional(),
  /** Refuse to send over smtp:// unless the server upgrades with STARTTLS. */
  starttls: z.boolean().optional(),
  /** Check the server's TLS certificate (turn off only for a self-signed relay you trust). */
  tls_verify: z.boolean().optional(),
}).superRefine((cfg, ctx) => {
  if (!cfg.smtp && !cfg.sendmail) ctx.addIssue({ code: 'custom', message: 'needs smtp: "smtp://user:pass@host:587" or sendmail: true' });
  if (cfg.smtp && cfg.sendmail) ctx.addIssue({ code: 'custom', message: 'give smtp or sendmail, not both' });
}));

export type EmailConfig = z.output<ReturnType<typeof emailSchema>>;

function smtpPassword(smtp: string | undefined): string | undefined {
  if (!smtp) return undefined;
  try {
    return new URL(smtp).password || undefined;
  } catch {
    return undefined;
  }
}

/** Cron's PATH is /usr/bin:/bin, and sendmail usually lives in /usr/sbin: look there too, as `mail` does. */
export function findSendmail(setting: true | string, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof setting === 'string') return setting;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/lib'];
  for (const dir of dirs) {
    const candidate = join(dir, 'sendmail');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    'sendmail not found on PATH, in /usr/sbin or /usr/lib (install a mail transfer agent such as postfix or msmtp-mta, set alerts.email.sendmail to its path, or use alerts.email.smtp)',
  );
}

function transportOptions(cfg: EmailConfig, budget: number): Record<string, unknown> {
  if (cfg.sendmail) return { sendmail: true, newline: 'unix', path: findSendmail(cfg.sendmail) };
  const url = new URL(cfg.smtp!);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    requireTLS: Boolean(cfg.starttls),
    tls: { rejectUnauthorized: cfg.tls_verify !== false },
    connectionTimeout: budget,
    greetingTimeout: budget,
    socketTimeout: budget,
  };
}

let nodemailer: Promise<typeof import('nodemailer')> | undefined;
const loadNodemailer = () => (nodemailer ??= import('nodemailer'));

export const emailNotifier: Notifier<EmailConfig> = {
  kind: 'email',
  get schema() {
    return emailSchema();
  },
  label: (cfg) => `email (${cfg.to.join(', ')})`,
  secrets: (cfg) => {
    const password = smtpPassword(cfg.smtp);
    return password ? [password] : [];
  },
  prepare: async () => void (await loadNodemailer()),
  async send(cfg: EmailConfig, msg: AlertMessage, ctx: SendContext) {
    const budget = Math.floor(ctx.remainingMs());
    if (budget <= 0) throw new Error(say.delivery.noTimeLeft);
    const { createTransport } = await loadNodemailer();
    const transport = createTransport(transportOptions(cfg, budget) as Parameters<typeof createTransport>[0]);
    const from = cfg.from ?? `${PROGRAM}@${ctx.host}`;
    const sending = transport.sendMail({
      from,
      to: cfg.to,
      subject: maskText(msg.subject),
      text: messageBody(msg, ctx.now),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Neuronova-Alert': msg.kind },
    });
    sending.catch(() => undefined); // a late failure after the timeout has already been reported
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_, reject) => {
      const stop = () => reject(new Error(say.delivery.timeout(say.duration(budget))));
      timer = setTimeout(stop, budget);
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    try {
      await Promise.race([sending, stopped]);
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  },
};
