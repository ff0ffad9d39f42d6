// The human text every chat-like channel (ntfy, Telegram, Discord, Teams) shows: title, body, tone, cut to its limit.
import { say } from '../i18n/index.js';
import { messageBody, type AlertMessage } from '../alerts/message.js';
import { levelWord } from '../alerts/template.js';
import { maskText } from '../util/mask.js';

/** What colour, priority or emoji a message gets. */
export type Tone = 'critical' | 'warning' | 'recovered' | 'flapping' | 'test';

export function toneOf(msg: AlertMessage): Tone {
  const word = levelWord(msg, msg.entries);
  if (word === 'RECOVERED') return 'recovered';
  if (word === 'TEST') return 'test';
  if (word === 'FLAPPING') return 'flapping';
  return word === 'CRITICAL' ? 'critical' : 'warning';
}

/** `text` cut to `max` characters (a service refuses longer ones), saying it was cut. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 12)}\n…${say.alert.cutHere}` : text;
}

/** The subject, masked: the title line. */
export const chatTitle = (msg: AlertMessage): string => maskText(msg.subject);

/** The plain body (alerts.template's when set), masked, without the trailing newline. */
export const chatBody = (msg: AlertMessage, sentAt: Date): string => messageBody(msg, sentAt).trimEnd();
