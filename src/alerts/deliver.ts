// Sends each channel's queue (outbox first, then this run's messages), oldest first; keeps what a channel did not take.
import type { Channel } from '../notifiers/index.js';
import type { SendContext } from '../notifiers/notifier.js';
import type { RunLog } from '../run-log.js';
import type { RunReport } from '../types.js';
import { formatDuration } from '../util/duration.js';
import { maskSecrets } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import type { AlertMessage } from './message.js';
import { enqueue, expire, OUTBOX_MAX_AGE_MS } from './outbox.js';
import { supersedeSnapshots } from './refresh.js';
import type { Outbox, OutboxItem } from './state.js';
import { messageOf } from '../util/errors.js';

export interface DeliveryInput {
  channels: readonly Channel[];
  /** Still pending from earlier runs, per channel. */
  outbox: Outbox;
  /** This run's new messages. */
  fresh: readonly AlertMessage[];
  /** What fires now, for the channels told every run instead of `fresh` (src/alerts/refresh.ts). */
  snapshot?: AlertMessage | undefined;
  report: RunReport;
  /** The run's clock (message times and the 24 h limit are on it). */
  now: Date;
  host: string;
  /** Milliseconds left for alerting before the run's deadline. */
  remainingMs: () => number;
  /** Longest one attempt may take (the config's `timeout`). */
  sendTimeoutMs: number;
  log: RunLog;
}

interface Attempt {
  item: OutboxItem;
  channel: Channel;
  ok: boolean;
  error?: string;
  /** Not tried: an older message on the same channel failed first (order must hold). */
  blocked?: boolean;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim() || 'failed';

/** Try one message on one channel now; the masked reason when it failed, undefined when it was delivered. */
export async function sendOne(
  channel: Channel,
  item: Pick<OutboxItem, 'message'>,
  input: Pick<DeliveryInput, 'sendTimeoutMs' | 'remainingMs' | 'now' | 'host'> & { report?: RunReport },
): Promise<string | undefined> {
  try {
    await channel.prepare();
  } catch (error) {
    return maskSecrets(oneLine(`cannot load what sends ${channel.kind}: ${messageOf(error)}`), channel.secrets);
  }
  const budget = Math.floor(Math.min(input.sendTimeoutMs, input.remainingMs()));
  if (budget <= 0) return "no time left before the run's deadline";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budget);
  const started = performance.now();
  const ctx: SendContext = {
    remainingMs: () => Math.min(budget - (performance.now() - started), input.remainingMs()),
    signal: controller.signal,
    now: input.now,
    host: input.host,
    ...(input.report ? { report: input.report } : {}),
  };
  try {
    await channel.send(item.message, ctx);
    return undefined;
  } catch (error) {
    if (controller.signal.aborted) return `no answer within ${formatDuration(budget)} (timeout)`;
    return maskSecrets(oneLine(messageOf(error)), channel.secrets);
  } finally {
    clearTimeout(timer);
  }
}

/** One channel: strictly in order, stopping at the first failure so nothing overtakes an undelivered message. */
async function runChannel(channel: Channel, queue: OutboxItem[], input: DeliveryInput): Promise<{ left: OutboxItem[]; attempts: Attempt[] }> {
  const left: OutboxItem[] = [];
  const attempts: Attempt[] = [];
  let failure: string | undefined;
  for (const item of queue) {
    if (failure) {
      left.push(item);
      attempts.push({ item, channel, ok: false, error: failure, blocked: true });
      continue;
    }
    const error = await sendOne(channel, item, input);
    if (error === undefined) {
      attempts.push({ item, channel, ok: true });
      continue;
    }
    failure = error;
    const kept = { ...item, attempts: item.attempts + 1, last_error: error };
    left.push(kept);
    attempts.push({ item: kept, channel, ok: false, error });
  }
  return { left, attempts };
}

export async function deliver(input: DeliveryInput): Promise<Outbox> {
  const { log, now } = input;
  const queues = new Map<Channel, OutboxItem[]>();
  for (const channel of input.channels) {
    const { kept, expired } = expire(input.outbox[channel.kind] ?? [], now);
    for (const item of expired) {
      log.write('ERROR', `Alert dropped: ${channel.label} could not deliver "${item.message.subject}" for 24 h (last error: ${item.last_error ?? 'unknown'})`);
    }
    let queue = kept;
    let fresh = input.fresh;
    if (channel.refreshEveryRun) {
      // told what fires now, every run: the newest snapshot replaces the queued ones (docs/alerting.md#alertmanager)
      fresh = [];
      if (input.snapshot) {
        const superseded = supersedeSnapshots(queue, input.snapshot);
        queue = superseded.kept;
        fresh = [superseded.snapshot];
      }
    }
    for (const message of fresh) {
      // A channel that posts the report (the webhook) posts the one of the run that made the message, also on retries.
      const copy = channel.carriesReport ? { ...message, report: input.report } : message;
      const result = enqueue(queue, copy);
      queue = result.queue;
      for (const item of result.overflow) {
        log.write('ERROR', `Alert dropped: ${channel.label} has too many undelivered messages; the oldest goes: "${item.message.subject}"`);
      }
    }
    queues.set(channel, queue);
  }
  for (const kind of Object.keys(input.outbox)) {
    if (!input.channels.some((channel) => channel.kind === kind)) {
      log.write('INFO', `Alert outbox: ${input.outbox[kind as keyof Outbox]!.length} undelivered message(s) for ${kind} dropped: the channel is no longer configured`);
    }
  }

  // Channels at the same time: a slow or broken one does not hold up the others.
  const done = await Promise.all(input.channels.map(async (channel) => ({ channel, ...(await runChannel(channel, queues.get(channel)!, input)) })));

  // One block of log lines per message, oldest first: what it is, where it went, where it did not.
  const byMessage = new Map<string, { message: AlertMessage; attempts: Attempt[] }>();
  for (const { attempts } of done) {
    for (const attempt of attempts) {
      const id = attempt.item.message.id;
      if (!byMessage.has(id)) byMessage.set(id, { message: attempt.item.message, attempts: [] });
      byMessage.get(id)!.attempts.push(attempt);
    }
  }
  const order = (m: AlertMessage) => `${new Date(m.time).toISOString()} ${m.kind === 'recovered' ? 0 : 1} ${m.id}`;
  const fresh = new Set([...input.fresh, ...(input.snapshot ? [input.snapshot] : [])].map((message) => message.id));
  for (const { message, attempts } of [...byMessage.values()].sort((a, b) => order(a.message).localeCompare(order(b.message)))) {
    const retry = fresh.has(message.id) ? '' : ` (retry, first tried ${localStamp(new Date(message.time))})`;
    log.write('INFO', `Alert${retry}: ${message.subject}`);
    const sent = attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.channel.label);
    if (sent.length) log.write('INFO', `Alert sent: ${sent.join(', ')}`);
    for (const attempt of attempts.filter((a) => !a.ok)) {
      const until = localStamp(new Date(Date.parse(message.time) + OUTBOX_MAX_AGE_MS));
      const why = attempt.blocked ? `waits behind an older undelivered message (${attempt.error})` : attempt.error;
      log.write('ERROR', `Alert not sent: ${attempt.channel.label}: ${why}; kept to retry on the next runs until ${until}`);
    }
  }

  const outbox: Outbox = {};
  for (const { channel, left } of done) if (left.length) outbox[channel.kind] = left;
  return outbox;
}
