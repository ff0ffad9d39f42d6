// The per-channel outbox: messages a channel has not delivered yet, oldest first, kept for up to 24 h.
import type { AlertMessage } from './message.js';
import type { OutboxItem } from './state.js';

export const OUTBOX_MAX_AGE_MS = 24 * 3_600_000;
/** Far more than a day of reminders; a bound so a broken channel cannot grow the state file without end. */
export const OUTBOX_MAX_ITEMS = 100;

const age = (item: OutboxItem, now: Date) => now.getTime() - Date.parse(item.message.time);

/** Split a queue into what may still be sent and what waited longer than 24 h (dropped, and said so). */
export function expire(items: readonly OutboxItem[], now: Date): { kept: OutboxItem[]; expired: OutboxItem[] } {
  const kept: OutboxItem[] = [];
  const expired: OutboxItem[] = [];
  for (const item of items) (age(item, now) > OUTBOX_MAX_AGE_MS ? expired : kept).push(item);
  return { kept, expired };
}

/** A queued message that only reminds about checks the new message also speaks of adds nothing: a late burst of stale reminders is noise. */
function isSuperseded(queued: AlertMessage, fresh: AlertMessage): boolean {
  if (queued.kind !== 'problem' || !queued.entries.every((entry) => entry.kind === 'reminder')) return false;
  const named = new Set(fresh.entries.map((entry) => entry.check));
  return queued.entries.every((entry) => named.has(entry.check));
}

/**
 * Append a new message at the end (order is what keeps a DOWN before its RECOVERED). Returns the queued reminders it
 * made pointless, and the oldest messages pushed out when the queue is full.
 */
export function enqueue(
  items: readonly OutboxItem[],
  message: AlertMessage,
): { queue: OutboxItem[]; superseded: OutboxItem[]; overflow: OutboxItem[] } {
  const superseded: OutboxItem[] = [];
  const overflow: OutboxItem[] = [];
  const queue: OutboxItem[] = [];
  for (const item of items) (isSuperseded(item.message, message) ? superseded : queue).push(item);
  queue.push({ message, first_tried: message.time, attempts: 0 });
  while (queue.length > OUTBOX_MAX_ITEMS) overflow.push(queue.shift()!);
  return { queue, superseded, overflow };
}
