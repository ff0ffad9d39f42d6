// The words of an alert, shared by every channel: subject, plain-text body, and the structured entries behind them.
// Every sentence comes from the catalogue (src/i18n/), so a channel that builds on these speaks the config's language.
import { worst, type Level } from '../levels.js';
import type { RunReport } from '../types.js';
import { say } from '../i18n/index.js';
import { maskText } from '../util/mask.js';
import { localStamp } from '../util/time.js';

export const PROGRAM = 'neuronova-health-check';

/** down: newly failing; reminder: still failing; flapping: unsteady, told once; recovered: OK again. */
export type EntryKind = 'down' | 'reminder' | 'flapping' | 'recovered';

/** One check inside a message. Plain data: it is kept in the state's outbox until every channel delivered it. */
export interface AlertEntry {
  check: string;
  kind: EntryKind;
  /** The level being told: the check's level now (OK for recovered; possibly OK for flapping). */
  level: Level;
  /** The check's own message (masked). */
  message: string;
  hint?: string;
  /** ISO time the check was first seen failing in this incident. */
  since?: string;
  /** recovered: how long it was down. */
  down_for_ms?: number;
  /** Checks failing because this one fails (depends_on), folded into its entry instead of paged on their own. */
  also?: string[];
  /** Why the entry is here beyond its kind: "still failing after the silence ended". */
  note?: string;
  /** What the check looks at, when its message does not say (masked): `url: https://api.example.com/health`. */
  target?: string;
  /** The check's type (`systemd`, `http`, …): set where a channel labels by it (the Alertmanager snapshot). */
  type?: string;
}

export interface AlertMessage {
  /** Unique per message: run time and kind (a run makes at most one message of each kind). */
  id: string;
  kind: 'problem' | 'recovered' | 'test';
  /** `[CRITICAL] web-1: nginx, flask` / `[RECOVERED] web-1: nginx`. */
  subject: string;
  host: string;
  /** ISO local time of the run that made the message. */
  time: string;
  entries: AlertEntry[];
  log_file: string;
  /** The run's §6 report: only in the webhook's copy (it posts it). */
  report?: RunReport;
  /** The body `alerts.template` made (masked), told instead of the default words (src/alerts/template.ts). */
  body?: string;
  /** The template it was made with, for channels that word each check apart (PagerDuty). */
  template?: { subject?: string | undefined; body?: string | undefined };
  /** The whole set of what fails now, for channels told every run (Alertmanager; src/alerts/refresh.ts). */
  refresh?: true;
}

/** `[CRITICAL] HOST: a, b` — the worst level told; `[FLAPPING]` when flapping is all there is to tell. */
export function problemSubject(host: string, entries: readonly AlertEntry[]): string {
  const word = entries.every((entry) => entry.kind === 'flapping')
    ? 'FLAPPING'
    : worst(entries.map((entry) => entry.level));
  return say.alert.problemSubject(
    word,
    host,
    entries.map((entry) => entry.check),
  );
}

export function recoveredSubject(host: string, entries: readonly AlertEntry[]): string {
  return say.alert.recoveredSubject(
    host,
    entries.map((entry) => entry.check),
  );
}

export function testMessage(host: string, now: Date, logFile: string): AlertMessage {
  return {
    id: `${now.toISOString()}/test`,
    kind: 'test',
    subject: say.alert.testSubject(host, PROGRAM),
    host,
    time: now.toISOString(),
    entries: [],
    log_file: logFile,
  };
}

const stamp = (iso: string | undefined): string =>
  iso && !Number.isNaN(Date.parse(iso)) ? localStamp(new Date(iso)) : '?';

function failingFor(entry: AlertEntry, messageTime: string): string {
  if (!entry.since) return '';
  const ms = Date.parse(messageTime) - Date.parse(entry.since);
  return Number.isFinite(ms) && ms >= 1000 ? say.alert.failingFor(say.duration(ms), stamp(entry.since)) : '';
}

/** The first line of one entry: `nginx — CRITICAL: inactive (dead)`. */
export function entryHeadline(entry: AlertEntry, messageTime: string): string {
  const note = entry.note ?? '';
  const duration = failingFor(entry, messageTime);
  switch (entry.kind) {
    case 'down':
      return say.alert.down(entry.check, entry.level, entry.message, duration, note);
    case 'reminder':
      return say.alert.reminder(entry.check, entry.level, entry.message, duration, note);
    case 'flapping':
      return say.alert.flapping(entry.check, entry.level, entry.message, note);
    case 'recovered': {
      const down = entry.down_for_ms !== undefined ? say.duration(entry.down_for_ms) : undefined;
      return say.alert.recovered(entry.check, entry.message, down, entry.since ? stamp(entry.since) : undefined, note);
    }
  }
}

/** The lines under a headline: what the check looks at, what else fails because of it, and the runbook hint. */
export function entryDetails(entry: AlertEntry): string[] {
  const lines: string[] = [];
  if (entry.target) lines.push(entry.target);
  if (entry.also?.length) lines.push(say.alert.also(entry.also));
  if (entry.hint && entry.kind !== 'recovered') lines.push(say.alert.hint(entry.hint));
  return lines;
}

/** Said when a retried message goes out well after it was made, so nobody mistakes an old DOWN for a new one. */
export function lateNote(msg: AlertMessage, sentAt: Date): string | undefined {
  const late = sentAt.getTime() - Date.parse(msg.time);
  if (!(late > 120_000)) return undefined;
  return say.alert.late(stamp(msg.time));
}

export function timeLine(msg: AlertMessage): string {
  return say.alert.time(stamp(msg.time), msg.host);
}

export function moreLine(msg: AlertMessage): string {
  return say.alert.more(PROGRAM, msg.host, msg.log_file);
}

/** The plain-text body (without the subject): email body, and the text the webhook posts. Masked. */
export function messageBody(msg: AlertMessage, sentAt?: Date): string {
  const lines: string[] = [];
  const late = sentAt ? lateNote(msg, sentAt) : undefined;
  if (late) lines.push(late, '');
  // alerts.template's body replaces the words below (src/alerts/template.ts)
  if (msg.body !== undefined) return maskText([...lines, msg.body.trimEnd()].join('\n')) + '\n';
  const failing =
    msg.kind === 'problem'
      ? say.alert.failingList(msg.entries.filter((entry) => entry.kind !== 'recovered').map((entry) => entry.check))
      : undefined;
  if (failing) lines.push(failing);
  lines.push(timeLine(msg), '');
  if (msg.kind === 'test') lines.push(...say.alert.testBody(PROGRAM, msg.host), '');
  for (const entry of msg.entries) {
    lines.push(entryHeadline(entry, msg.time), ...entryDetails(entry).map((line) => `  ${line}`), '');
  }
  lines.push(moreLine(msg));
  return maskText(lines.join('\n')) + '\n';
}

/** Subject as the first line, then the body: what Slack's fallback text and chat-like channels show. */
export function messageText(msg: AlertMessage, sentAt?: Date): string {
  return `${maskText(msg.subject)}\n\n${messageBody(msg, sentAt)}`;
}
