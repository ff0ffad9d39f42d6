// Test helper: one message through one channel now (as a run's deliver step would), told as one short line.
import { sendOne } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import type { Channel } from '../../src/notifiers/index.js';

/** `sent`, `refused for good: <why>` (never retried) or `retry: <why>` (kept in the outbox). */
export async function sendOnce(channel: Channel, message: AlertMessage, now: Date, host = 'web-1'): Promise<string> {
  const outcome = await sendOne(channel, { message }, { sendTimeoutMs: 5000, remainingMs: () => 5000, now, host });
  if (!outcome.ok) return `retry: ${outcome.error}`;
  const { accepted, rejected, deferred } = outcome.result;
  if (rejected.length) return `refused for good: ${rejected.map((r) => r.reason).join('; ')}`;
  if (deferred.length) return `retry: ${deferred.map((r) => r.reason).join('; ')}`;
  return accepted.length ? 'sent' : 'nothing accepted';
}
