// Sends each channel's queue (outbox first, then this run's messages), oldest first; keeps what a channel did not take.
import { say } from '../i18n/index.js';
import type { Channel } from '../notifiers/index.js';
import type { SendContext, SendResult } from '../notifiers/notifier.js';
import type { RunLog } from '../run-log.js';
import type { RunReport } from '../types.js';
import { ownCrashes } from '../engine/crash-scope.js';
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
  /**
   * Saves the outbox as it stands, fsync'd, before this returns (the alert step turns it into the whole state):
   * before anything is sent, when a channel hands a message over, and the moment it answers (docs/files.md).
   * False when the state could be saved nowhere: then nothing is sent, since it could not be remembered.
   */
  remember?: (outbox: Outbox) => boolean;
}

interface Attempt {
  item: OutboxItem;
  channel: Channel;
  /** How the log names where it went: the channel's label, or `email (a@x)` for some of its recipients. */
  label: string;
  ok: boolean;
  error?: string;
  /** Refused for good (an address the server does not know): said once, never retried. */
  permanent?: boolean;
  /** Not tried: an older message on the same channel (or for the same recipient) failed first (order must hold). */
  blocked?: boolean;
}

/** The result of one try: what the far end did, or why nothing reached it (the whole message is retried). */
export type SendOutcome = { ok: true; result: SendResult } | { ok: false; error: string };

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim() || say.delivery.failed;

/** `email (a@x, b@x)` for some of a channel's recipients; the channel's own label when it is all of them (or it has none). */
export function labelFor(channel: Channel, recipients: readonly string[] | undefined): string {
  if (!recipients || channel.recipients.length === 0) return channel.label;
  if (recipients.length === channel.recipients.length && recipients.every((r, i) => r === channel.recipients[i]))
    return channel.label;
  return `${channel.kind} (${recipients.join(', ')})`;
}

/** Try one message on one channel now (for `only` of its recipients when given). */
export async function sendOne(
  channel: Channel,
  item: Pick<OutboxItem, 'message'>,
  input: Pick<DeliveryInput, 'sendTimeoutMs' | 'remainingMs' | 'now' | 'host'> & {
    report?: RunReport;
    handingOver?: () => void;
  },
  only?: readonly string[],
): Promise<SendOutcome> {
  const fail = (error: string): SendOutcome => ({ ok: false, error });
  try {
    await channel.prepare();
  } catch (error) {
    return fail(maskSecrets(oneLine(say.delivery.cannotLoad(channel.kind, messageOf(error))), channel.secrets));
  }
  const budget = Math.floor(Math.min(input.sendTimeoutMs, input.remainingMs()));
  if (budget <= 0) return fail(say.delivery.noTimeLeft);
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
    // A crash in the channel's library callbacks fails this send only: kept for the next run (docs/reliability.md).
    const result = await ownCrashes(() => channel.send(item.message, ctx, only));
    const mask = (refusals: SendResult['rejected']) =>
      refusals.map((r) => ({ recipient: r.recipient, reason: maskSecrets(oneLine(r.reason), channel.secrets) }));
    return { ok: true, result: { ...result, rejected: mask(result.rejected), deferred: mask(result.deferred) } };
  } catch (error) {
    if (controller.signal.aborted) return fail(say.delivery.timeout(say.duration(budget)));
    return fail(maskSecrets(oneLine(messageOf(error)), channel.secrets));
  } finally {
    clearTimeout(timer);
  }
}

const refusalText = (refusals: SendResult['rejected']) => refusals.map((r) => `${r.recipient}: ${r.reason}`).join('; ');

/** What each channel still has to send as delivery goes on, saved whole at each step that must be remembered. */
class Progress {
  private readonly pending = new Map<Channel, () => OutboxItem[]>();
  constructor(private readonly save: ((outbox: Outbox) => boolean) | undefined) {}
  track(channel: Channel, pending: () => OutboxItem[]): void {
    this.pending.set(channel, pending);
  }
  snapshot(): Outbox {
    const outbox: Outbox = {};
    for (const [channel, pending] of this.pending) {
      const items = pending();
      if (items.length) outbox[channel.kind] = items;
    }
    return outbox;
  }
  /** Save now; true when there is nothing to save with or it was saved somewhere. */
  remember(): boolean {
    return this.save ? this.save(this.snapshot()) : true;
  }
}

/**
 * One channel, strictly in order: a message nothing reached stops the queue so nothing overtakes it; a recipient whose
 * copy was deferred gets later messages only after it (they wait in the outbox for that recipient alone).
 */
async function runChannel(
  channel: Channel,
  queue: OutboxItem[],
  input: DeliveryInput,
  progress: Progress,
): Promise<{ left: OutboxItem[]; attempts: Attempt[] }> {
  const left: OutboxItem[] = [];
  const attempts: Attempt[] = [];
  let failure: string | undefined;
  /** Recipients with an older undelivered copy in the outbox, and why it was not delivered. */
  const waiting = new Map<string, string>();
  // what is still to send at any moment: what was kept so far, the message being sent, the ones not tried yet
  let index = 0;
  let current: OutboxItem | undefined;
  progress.track(channel, () => [...left, ...(current ? [current] : []), ...queue.slice(index + 1)]);
  for (; index < queue.length; index++) {
    const item = queue[index]!;
    current = undefined;
    if (failure) {
      left.push(item);
      attempts.push({
        item,
        channel,
        label: labelFor(channel, item.recipients),
        ok: false,
        error: failure,
        blocked: true,
      });
      continue;
    }
    let targets = item.recipients;
    if (waiting.size > 0) {
      const all = targets ?? channel.recipients;
      const held = all.filter((r) => waiting.has(r));
      if (held.length > 0) {
        const kept = { ...item, recipients: held };
        left.push(kept);
        const why = [...new Set(held.map((r) => waiting.get(r)!))].join('; ');
        attempts.push({ item: kept, channel, label: labelFor(channel, held), ok: false, error: why, blocked: true });
        targets = all.filter((r) => !waiting.has(r));
        if (targets.length === 0) continue;
      }
    }
    current = targets ? { ...item, recipients: targets } : item;
    const handingOver = () => {
      // from here the far end may accept it: a run killed now must not send it again
      current = { ...current!, handed_over: input.now.toISOString() };
      progress.remember();
    };
    const outcome = await sendOne(channel, item, { ...input, handingOver }, targets);
    current = undefined;
    if (!outcome.ok) {
      // nothing was taken (the far end said no, or the line broke): the whole message is retried
      failure = outcome.error;
      const kept = {
        ...item,
        ...(targets ? { recipients: targets } : {}),
        attempts: item.attempts + 1,
        last_error: outcome.error,
      };
      left.push(kept);
      attempts.push({ item: kept, channel, label: labelFor(channel, targets), ok: false, error: outcome.error });
      continue;
    }
    const { accepted, rejected, deferred, warnings } = outcome.result;
    if (deferred.length > 0) {
      const kept = {
        ...item,
        recipients: deferred.map((r) => r.recipient),
        attempts: item.attempts + 1,
        last_error: refusalText(deferred),
      };
      left.push(kept);
    }
    // answered: remembered (fsync'd) before anything else happens
    progress.remember();
    for (const warning of warnings ?? []) input.log.write('WARNING', warning);
    if (accepted.length > 0)
      attempts.push({
        item,
        channel,
        label: labelFor(channel, channel.recipients.length ? accepted : undefined),
        ok: true,
      });
    if (rejected.length > 0) {
      // a channel with one destination (no recipients) says only why; email names the refused addresses
      const why = channel.recipients.length ? refusalText(rejected) : rejected.map((r) => r.reason).join('; ');
      attempts.push({
        item,
        channel,
        label: labelFor(
          channel,
          rejected.map((r) => r.recipient),
        ),
        ok: false,
        permanent: true,
        error: why,
      });
    }
    if (deferred.length > 0) {
      const kept = left.at(-1)!;
      for (const refusal of deferred) waiting.set(refusal.recipient, refusal.reason);
      attempts.push({
        item: kept,
        channel,
        label: labelFor(channel, kept.recipients),
        ok: false,
        error: kept.last_error!,
      });
    }
  }
  current = undefined;
  return { left, attempts };
}

export async function deliver(input: DeliveryInput): Promise<Outbox> {
  const { log, now } = input;
  const queues = new Map<Channel, OutboxItem[]>();
  const progress = new Progress(input.remember);
  for (const channel of input.channels) {
    const { kept, expired } = expire(input.outbox[channel.kind] ?? [], now);
    for (const item of expired) {
      log.write('ERROR', say.delivery.expired(channel.label, item.message.subject, item.last_error));
    }
    for (const item of kept.filter((item) => item.handed_over)) {
      // A run was stopped after the last byte went out and before the answer came: the far end most likely has it.
      // Not sending it again is the choice that never doubles a page (docs/files.md).
      log.write(
        'WARNING',
        say.delivery.handedOver(
          labelFor(channel, item.recipients),
          item.message.subject,
          localStamp(new Date(item.handed_over!)),
        ),
      );
    }
    let queue = kept.filter((item) => !item.handed_over);
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
        log.write('ERROR', say.delivery.overflow(channel.label, item.message.subject));
      }
    }
    queues.set(channel, queue);
    progress.track(channel, () => queue);
  }
  for (const kind of Object.keys(input.outbox)) {
    if (!input.channels.some((channel) => channel.kind === kind)) {
      log.write('INFO', say.delivery.channelGone(input.outbox[kind as keyof Outbox]!.length, kind));
    }
  }

  // Written ahead: what is about to be sent is in the outbox (fsync'd) before any channel is tried, so a run killed
  // before a message is handed over sends it on the next run, and one that cannot remember sends nothing.
  if (!progress.remember()) {
    for (const message of input.fresh) {
      log.write('ERROR', say.delivery.notSentNowhere(message.subject));
    }
    return input.outbox;
  }

  // Channels at the same time: a slow or broken one does not hold up the others.
  const done = await Promise.all(
    input.channels.map(async (channel) => ({
      channel,
      ...(await runChannel(channel, queues.get(channel)!, input, progress)),
    })),
  );

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
  for (const { message, attempts } of [...byMessage.values()].sort((a, b) =>
    order(a.message).localeCompare(order(b.message)),
  )) {
    // A refresh that only repeats what the channel already knows (Alertmanager's endsAt pushed ahead) and went through
    // is not news: the log stays quiet while an incident lasts, and says only what changed or failed.
    if (
      message.refresh &&
      message.entries.every((entry) => entry.kind === 'reminder') &&
      attempts.every((attempt) => attempt.ok)
    )
      continue;
    log.write(
      'INFO',
      say.delivery.line(message.subject, fresh.has(message.id) ? undefined : localStamp(new Date(message.time))),
    );
    // "sent" only for what the far end accepted (docs/alerting-delivery.md)
    const sent = attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.label);
    if (sent.length) log.write('INFO', say.delivery.sent(sent));
    for (const attempt of attempts.filter((a) => a.permanent)) {
      const fix = attempt.channel.recipients.length
        ? `alerts.${attempt.channel.kind}.to`
        : `alerts.${attempt.channel.kind}`;
      log.write('ERROR', say.delivery.refused(attempt.label, attempt.error ?? '', fix));
    }
    for (const attempt of attempts.filter((a) => !a.ok && !a.permanent)) {
      const until = localStamp(new Date(Date.parse(message.time) + OUTBOX_MAX_AGE_MS));
      const why = attempt.blocked ? say.delivery.blocked(attempt.error ?? '') : (attempt.error ?? '');
      log.write('ERROR', say.delivery.notSent(attempt.label, why, until));
    }
  }

  const outbox: Outbox = {};
  for (const { channel, left } of done) if (left.length) outbox[channel.kind] = left;
  return outbox;
}
