// Sends each channel's queue (outbox first, then this run's messages), oldest first; keeps what a channel did not take.
import { say } from '../i18n/index.js';
import type { Channel } from '../notifiers/index.js';
import type { SendContext } from '../notifiers/notifier.js';
import type { RunLog } from '../run-log.js';
import type { RunReport } from '../types.js';
import { maskSecrets } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import type { AlertMessage } from './message.js';
import { enqueue, expire, OUTBOX_MAX_AGE_MS } from './outbox.js';
import type { Outbox, OutboxItem } from './state.js';
import { messageOf } from '../util/errors.js';

export interface DeliveryInput {
  channels: readonly Channel[];
  /** Still pending from earlier runs, per channel. */
  outbox: Outbox;
  /** This run's new messages. */
  fresh: readonly AlertMessage[];
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

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim() || say.delivery.failed;

/** Try one message on one channel now; the masked reason when it failed, undefined when it was delivered. */
export async function sendOne(
  channel: Channel,
  item: Pick<OutboxItem, 'message'>,
  input: Pick<DeliveryInput, 'sendTimeoutMs' | 'remainingMs' | 'now' | 'host'> & { report?: RunReport },
): Promise<string | undefined> {
  try {
    await channel.prepare();
  } catch (error) {
    return maskSecrets(oneLine(say.delivery.cannotLoad(channel.kind, messageOf(error))), channel.secrets);
  }
  const budget = Math.floor(Math.min(input.sendTimeoutMs, input.remainingMs()));
  if (budget <= 0) return say.delivery.noTimeLeft;
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
    if (controller.signal.aborted) return say.delivery.timeout(say.duration(budget));
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
      log.write('ERROR', say.delivery.expired(channel.label, item.message.subject, item.last_error));
    }
    let queue = kept;
    for (const message of input.fresh) {
      // A channel that posts the report (the webhook) posts the one of the run that made the message, also on retries.
      const copy = channel.carriesReport ? { ...message, report: input.report } : message;
      const result = enqueue(queue, copy);
      queue = result.queue;
      for (const item of result.overflow) {
        log.write('ERROR', say.delivery.overflow(channel.label, item.message.subject));
      }
    }
    queues.set(channel, queue);
  }
  for (const kind of Object.keys(input.outbox)) {
    if (!input.channels.some((channel) => channel.kind === kind)) {
      log.write('INFO', say.delivery.channelGone(input.outbox[kind as keyof Outbox]!.length, kind));
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
  const fresh = new Set(input.fresh.map((message) => message.id));
  for (const { message, attempts } of [...byMessage.values()].sort((a, b) => order(a.message).localeCompare(order(b.message)))) {
    log.write('INFO', say.delivery.line(message.subject, fresh.has(message.id) ? undefined : localStamp(new Date(message.time))));
    const sent = attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.channel.label);
    if (sent.length) log.write('INFO', say.delivery.sent(sent));
    for (const attempt of attempts.filter((a) => !a.ok)) {
      const until = localStamp(new Date(Date.parse(message.time) + OUTBOX_MAX_AGE_MS));
      const why = attempt.blocked ? say.delivery.blocked(attempt.error ?? '') : (attempt.error ?? '');
      log.write('ERROR', say.delivery.notSent(attempt.channel.label, why, until));
    }
  }

  const outbox: Outbox = {};
  for (const { channel, left } of done) if (left.length) outbox[channel.kind] = left;
  return outbox;
}
