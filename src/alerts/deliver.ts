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
  /**
   * Saves the outbox as it stands, fsync'd, before this returns (the alert step turns it into the whole state):
   * before anything is sent, when a channel hands a message over, and the moment it accepts one (docs/files.md).
   * False when the state could be saved nowhere: then nothing is sent, since it could not be remembered.
   */
  remember?: (outbox: Outbox) => boolean;
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
  input: Pick<DeliveryInput, 'sendTimeoutMs' | 'remainingMs' | 'now' | 'host'> & { report?: RunReport; handingOver?: () => void },
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
    ...(input.handingOver ? { handingOver: input.handingOver } : {}),
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

/** What is still to be sent, per channel, as delivery goes on; saved whole at each step that must be remembered. */
class LiveOutbox {
  private readonly queues = new Map<Channel, OutboxItem[]>();
  constructor(private readonly save: ((outbox: Outbox) => boolean) | undefined) {}
  set(channel: Channel, queue: OutboxItem[]): void {
    this.queues.set(channel, queue);
  }
  get(channel: Channel): OutboxItem[] {
    return this.queues.get(channel) ?? [];
  }
  replace(channel: Channel, item: OutboxItem, by?: OutboxItem): void {
    const queue = this.get(channel);
    const at = queue.indexOf(item);
    if (at < 0) return;
    if (by) queue[at] = by;
    else queue.splice(at, 1);
  }
  snapshot(): Outbox {
    const outbox: Outbox = {};
    for (const [channel, queue] of this.queues) if (queue.length) outbox[channel.kind] = [...queue];
    return outbox;
  }
  /** Save now; true when there is nothing to save with or it was saved somewhere. */
  remember(): boolean {
    return this.save ? this.save(this.snapshot()) : true;
  }
}

/** One channel: strictly in order, stopping at the first failure so nothing overtakes an undelivered message. */
async function runChannel(channel: Channel, live: LiveOutbox, input: DeliveryInput): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let failure: string | undefined;
  for (const item of [...live.get(channel)]) {
    if (failure) {
      attempts.push({ item, channel, ok: false, error: failure, blocked: true });
      continue;
    }
    let current = item;
    const handingOver = () => {
      // from here the far end may accept it: a run killed now must not send it again
      const marked = { ...current, handed_over: input.now.toISOString() };
      live.replace(channel, current, marked);
      current = marked;
      live.remember();
    };
    const error = await sendOne(channel, item, { ...input, handingOver });
    if (error === undefined) {
      // accepted: remembered (fsync'd) before anything else happens
      live.replace(channel, current);
      live.remember();
      attempts.push({ item, channel, ok: true });
      continue;
    }
    failure = error;
    // the far end answered no (or the line broke): it was not taken, so it is retried
    const { handed_over: _no, ...kept } = { ...current, attempts: item.attempts + 1, last_error: error };
    live.replace(channel, current, kept);
    attempts.push({ item: kept, channel, ok: false, error });
  }
  return attempts;
}

export async function deliver(input: DeliveryInput): Promise<Outbox> {
  const { log, now } = input;
  const live = new LiveOutbox(input.remember);
  for (const channel of input.channels) {
    const { kept, expired } = expire(input.outbox[channel.kind] ?? [], now);
    for (const item of expired) {
      log.write('ERROR', `Alert dropped: ${channel.label} could not deliver "${item.message.subject}" for 24 h (last error: ${item.last_error ?? 'unknown'})`);
    }
    for (const item of kept.filter((item) => item.handed_over)) {
      // A run was stopped after the last byte went out and before the answer came: the far end most likely has it.
      // Not sending it again is the choice that never doubles a page (docs/files.md).
      log.write(
        'WARNING',
        `Alert not sent again: ${channel.label} was handed "${item.message.subject}" at ${localStamp(new Date(item.handed_over!))} by a run that was stopped before the answer came; it has most likely arrived`,
      );
    }
    let queue = kept.filter((item) => !item.handed_over);
    for (const message of input.fresh) {
      // A channel that posts the report (the webhook) posts the one of the run that made the message, also on retries.
      const copy = channel.carriesReport ? { ...message, report: input.report } : message;
      const result = enqueue(queue, copy);
      queue = result.queue;
      for (const item of result.overflow) {
        log.write('ERROR', `Alert dropped: ${channel.label} has too many undelivered messages; the oldest goes: "${item.message.subject}"`);
      }
    }
    live.set(channel, queue);
  }
  for (const kind of Object.keys(input.outbox)) {
    if (!input.channels.some((channel) => channel.kind === kind)) {
      log.write('INFO', `Alert outbox: ${input.outbox[kind as keyof Outbox]!.length} undelivered message(s) for ${kind} dropped: the channel is no longer configured`);
    }
  }

  // Written ahead: what is about to be sent is in the outbox (fsync'd) before any channel is tried, so a run killed
  // before a message is handed over sends it on the next run, and one that cannot remember sends nothing.
  if (!live.remember()) {
    for (const message of input.fresh) {
      log.write('ERROR', `Alert not sent: the state cannot be saved anywhere, so it could not be remembered and would go out again on every run: ${message.subject}`);
    }
    return input.outbox;
  }

  // Channels at the same time: a slow or broken one does not hold up the others.
  const done = await Promise.all(input.channels.map(async (channel) => ({ channel, attempts: await runChannel(channel, live, input) })));

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

  return live.snapshot();
}
