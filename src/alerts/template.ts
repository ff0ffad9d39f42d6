// `alerts.template`: the user's own subject and body, filled by plain placeholder substitution (docs/alerting.md#templates).
import { say } from '../i18n/index.js';
import { worst } from '../levels.js';
import { maskText } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import { entryDetails, entryHeadline, type AlertEntry, type AlertMessage } from './message.js';

/** Every placeholder a template may use; anything else in braces is a config error (a typo would be sent as is). */
export const PLACEHOLDERS = ['host', 'level', 'checks', 'time', 'details'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

// `{name}` is a placeholder; `{{` and `}}` are literal braces.
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}/g;

/** The placeholders of `text` that are not in PLACEHOLDERS. */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const name = match[1];
    if (name !== undefined && !(PLACEHOLDERS as readonly string[]).includes(name)) unknown.push(`{${name}}`);
  }
  return unknown;
}

/** `alerts.template` as the config gives it (validated in src/alerts/schema.ts: no unknown placeholder). */
export interface AlertTemplate {
  subject?: string | undefined;
  body?: string | undefined;
}

/** The config error for a template text, or undefined when every placeholder is known. */
export function placeholderProblem(text: string): string | undefined {
  const unknown = unknownPlaceholders(text);
  if (unknown.length === 0) return undefined;
  return say.config.unknownPlaceholder(
    unknown,
    PLACEHOLDERS.map((p) => `{${p}}`),
  );
}

/** The word a message is about: RECOVERED, TEST, FLAPPING, or the worst level it tells (CRITICAL, WARNING). */
export function levelWord(msg: Pick<AlertMessage, 'kind'>, entries: readonly AlertEntry[]): string {
  if (msg.kind === 'recovered' || (entries.length > 0 && entries.every((e) => e.kind === 'recovered')))
    return 'RECOVERED';
  if (msg.kind === 'test') return 'TEST';
  if (entries.length > 0 && entries.every((e) => e.kind === 'flapping')) return 'FLAPPING';
  return worst(entries.filter((e) => e.kind !== 'recovered').map((e) => e.level));
}

/** What each placeholder stands for in a message (or in the part of it about `entries`, for per-check channels). */
function valuesOf(msg: AlertMessage, entries: readonly AlertEntry[]): Record<Placeholder, string> {
  const details = entries.map((entry) =>
    [entryHeadline(entry, msg.time), ...entryDetails(entry).map((line) => `  ${line}`)].join('\n'),
  );
  return {
    host: msg.host,
    level: levelWord(msg, entries),
    checks: entries.map((entry) => entry.check).join(', '),
    time: Number.isNaN(Date.parse(msg.time)) ? msg.time : localStamp(new Date(msg.time)),
    details: msg.kind === 'test' && entries.length === 0 ? say.alert.testDetails : details.join('\n'),
  };
}

/** Plain substitution, never evaluation: a value that looks like a placeholder is not expanded again. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    return name !== undefined && Object.hasOwn(values, name) ? values[name]! : token;
  });
}

/** The message with the template's subject and body in place of the default words (kept in the outbox as sent). */
export function applyTemplate(msg: AlertMessage, template: AlertTemplate | undefined): AlertMessage {
  if (!template || (!template.subject && !template.body)) return msg;
  const values = valuesOf(msg, msg.entries);
  return {
    ...msg,
    ...(template.subject
      ? { subject: maskText(renderTemplate(template.subject, values)).replace(/\s*\n\s*/g, ' ') }
      : {}),
    ...(template.body ? { body: maskText(renderTemplate(template.body, values)) } : {}),
    template,
  };
}

/**
 * The subject of one check's part of a message, for channels that raise one event per check (PagerDuty's summary):
 * the template's subject filled for that check alone, or the default `[CRITICAL] web-1: nginx — inactive (dead)`.
 */
export function entrySubject(msg: AlertMessage, entry: AlertEntry): string {
  if (msg.template?.subject)
    return maskText(renderTemplate(msg.template.subject, valuesOf(msg, [entry]))).replace(/\s*\n\s*/g, ' ');
  return maskText(`[${levelWord(msg, [entry])}] ${msg.host}: ${entry.check} — ${entry.message}`);
}
