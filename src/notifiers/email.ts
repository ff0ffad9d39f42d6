// Email through nodemailer (loaded only when a message is sent): an SMTP URL, or the host's sendmail like the old `mail`.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import { builtOnce, strictObject } from '../config/schema-kit.js';
import { messageBody, PROGRAM, type AlertMessage } from '../alerts/message.js';
import { say } from '../i18n/index.js';
import { maskText } from '../util/mask.js';
import { composeMail, lazyMessage } from './mail-compose.js';
import { handoverMarker } from './handover-stream.js';
import { mailHost, takeWarning } from './mail-host.js';
import type { Notifier, SendContext, SendResult } from './notifier.js';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/;
const address = () => z.string().trim().regex(ADDRESS, 'must be an email address like ops@example.com');

// Built on first use (a getter below), like the checks' schemas (src/checks/index.ts).
export const emailSchema = builtOnce(() =>
  strictObject({
    to: z.union([address(), z.array(address()).min(1)]).transform((to) => (Array.isArray(to) ? to : [to])),
    from: z.string().min(1).optional(),
    /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://…:465 (TLS from the start). */
    smtp: z
      .string()
      .regex(/^smtps?:\/\/[^/\s]+/i, 'must be an smtp:// or smtps:// URL like smtp://user:pass@mail.example.com:587')
      .optional(),
    /** true: the host's sendmail (found on PATH, /usr/sbin or /usr/lib); a string: that program. */
    sendmail: z.union([z.boolean(), z.string().min(1)]).optional(),
    /** Refuse to send over smtp:// unless the server upgrades with STARTTLS. */
    starttls: z.boolean().optional(),
    /** Check the server's TLS certificate (turn off only for a self-signed relay you trust). */
    tls_verify: z.boolean().optional(),
  }).superRefine((cfg, ctx) => {
    if (!cfg.smtp && !cfg.sendmail)
      ctx.addIssue({ code: 'custom', message: 'needs smtp: "smtp://user:pass@host:587" or sendmail: true' });
    if (cfg.smtp && cfg.sendmail) ctx.addIssue({ code: 'custom', message: 'give smtp or sendmail, not both' });
  }),
);

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
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    requireTLS: Boolean(cfg.starttls),
    tls: { rejectUnauthorized: cfg.tls_verify !== false },
    connectionTimeout: budget,
    greetingTimeout: budget,
    socketTimeout: budget,
  };
}

let nodemailer: Promise<typeof import('nodemailer')> | undefined;
const loadNodemailer = () => (nodemailer ??= import('nodemailer'));

/** `Ops <ops@example.com>` → `ops@example.com`: the address the server answers for. */
export function bareAddress(address: string): string {
  return (/<([^<>]+)>\s*$/.exec(address)?.[1] ?? address).trim();
}

interface RecipientError {
  recipient?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** A refusal in the server's own words, one line (`550 5.1.1 <typo@example.com>: User unknown`). */
const answer = (error: RecipientError) => (error.response ?? error.message ?? 'refused').replace(/\s+/g, ' ').trim();

/** Sort the server's per-recipient refusals: 5xx for good, anything else (4xx) for now. */
function sortRefusals(
  errors: readonly RecipientError[],
  accepted: readonly string[],
  asked: readonly string[],
): SendResult {
  const result: SendResult = { accepted: [...accepted], rejected: [], deferred: [] };
  const answered = new Set(accepted);
  for (const error of errors) {
    const recipient = error.recipient ?? '';
    answered.add(recipient);
    const refusal = { recipient, reason: answer(error) };
    if ((error.responseCode ?? 0) >= 500) result.rejected.push(refusal);
    else result.deferred.push(refusal);
  }
  // A recipient the server said nothing about was not delivered: try it again.
  for (const recipient of asked)
    if (!answered.has(recipient)) result.deferred.push({ recipient, reason: 'no answer for this recipient' });
  return result;
}

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
  recipients: (cfg) => cfg.to.map(bareAddress),
  prepare: async () => void (await loadNodemailer()),
  async send(cfg: EmailConfig, msg: AlertMessage, ctx: SendContext, only?: readonly string[]) {
    const budget = Math.floor(ctx.remainingMs());
    if (budget <= 0) throw new Error(say.delivery.noTimeLeft);
    const { createTransport } = await loadNodemailer();
    const warnings: string[] = [];
    let from = cfg.from;
    if (!from) {
      const host = await mailHost(Math.min(1000, budget / 4), ctx.host);
      const warning = takeWarning(host);
      if (warning) warnings.push(warning);
      from = `${PROGRAM}@${host.name}`;
    }
    const to = only ? [...only] : cfg.to.map(bareAddress);
    // The server's EHLO answer decides the body's form: a debug logger is the one place nodemailer shows it.
    let offers8bit = false;
    const listen = (_meta: unknown, line: unknown) => {
      if (typeof line === 'string' && /^250[ -]/.test(line) && /\n/.test(line))
        offers8bit = /^250[ -]8BITMIME\b/im.test(line);
    };
    const quiet = () => undefined;
    const logger = { level: quiet, trace: quiet, debug: listen, info: quiet, warn: quiet, error: quiet, fatal: quiet };
    const transport = createTransport({ ...transportOptions(cfg, budget), logger, debug: true } as Parameters<
      typeof createTransport
    >[0]);
    const handingOver = ctx.handingOver;
    if (handingOver) {
      // the alert state notes "handed over" as the last byte leaves, before the server can accept (docs/files.md)
      transport.use('stream', (composed, done) => {
        composed.message.transform(() => handoverMarker(handingOver));
        done();
      });
    }
    const mail = await composeMail({
      from,
      to: cfg.to,
      subject: maskText(msg.subject),
      text: messageBody(msg, ctx.now),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Neuronova-Alert': msg.kind },
    });
    // The To: header names every configured recipient (so each sees who else was paged); the envelope only those
    // this attempt is for. sendmail takes 8bit as it is; over SMTP the EHLO answer decides.
    const raw = cfg.sendmail ? (mail.eightBit ?? mail.sevenBit) : lazyMessage(mail, () => offers8bit);
    const sending = transport.sendMail({
      envelope: { from: bareAddress(from), to, use8BitMime: true } as { from: string; to: string[] },
      raw,
    });
    sending.catch(() => undefined); // a late failure after the timeout has already been reported
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_, reject) => {
      const stop = () => reject(new Error(say.delivery.timeout(say.duration(budget))));
      timer = setTimeout(stop, budget);
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    try {
      const info = (await Promise.race([sending, stopped])) as {
        accepted?: unknown[];
        rejectedErrors?: RecipientError[];
      };
      // sendmail queues for every recipient and says nothing per address
      if (cfg.sendmail) return { accepted: to, rejected: [], deferred: [], warnings };
      const accepted = (info.accepted ?? []).map((a) =>
        typeof a === 'string' ? a : String((a as { address?: string }).address ?? a),
      );
      return { ...sortRefusals(info.rejectedErrors ?? [], accepted, to), warnings };
    } catch (error) {
      // Every recipient refused at RCPT TO: still an answer per address (some for good, some for now).
      const refused = (error as { rejectedErrors?: RecipientError[]; command?: string }).rejectedErrors;
      if (refused?.length && (error as { command?: string }).command === 'RCPT TO')
        return { ...sortRefusals(refused, [], to), warnings };
      throw error;
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  },
};
