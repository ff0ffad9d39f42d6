// The after-run step that alerts: policy over this run's results, then the channels, then the state that remembers it.
import { say } from '../i18n/index.js';
import { checkTarget, type CheckTarget } from '../checks/target.js';
import type { Channel } from '../notifiers/index.js';
import type { StepContext } from '../run-context.js';
import type { State } from '../state/store.js';
import { maskText } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import { deliver } from './deliver.js';
import { ENV_CHANNEL_VARS } from './env-channels.js';
import type { Mute } from './mutes.js';
import { decide, type MutedEvent } from './policy.js';
import { runSnapshot } from './refresh.js';
import { readCheckAlerts, readOutbox, readSilences, withAlerting, type Outbox } from './state.js';
import { applyTemplate } from './template.js';

function describeMute(mute: Mute): string {
  return (mute.kind === 'silence' ? say.mute.silence : say.mute.maintenance)(localStamp(mute.until), mute.reason);
}

/** One line per mute: what would have been told. */
function mutedLines(muted: readonly MutedEvent[]): string[] {
  const groups = new Map<string, string[]>();
  for (const event of muted) {
    const key = describeMute(event.mute);
    groups.set(key, [...(groups.get(key) ?? []), `${event.check} ${say.mute.event[event.kind]}`]);
  }
  return [...groups].map(([mute, checks]) => say.mute.muted(mute, checks));
}

/** The check's target with its secrets masked: alert entries are kept in the state file until delivered. */
function maskedTarget(check: Readonly<Record<string, unknown>>): CheckTarget | undefined {
  const target = checkTarget(check);
  return target && { key: target.key, value: maskText(target.value) };
}

export async function alertStep(ctx: StepContext): Promise<State | undefined> {
  const { config, log } = ctx;
  const stepStarted = performance.now();
  const previous = readCheckAlerts(ctx.state);
  const silences = readSilences(ctx.state);
  const { outbox, unreadable } = readOutbox(ctx.state);
  if (unreadable) log.write('ERROR', say.delivery.outboxUnreadable(unreadable));

  const covered = ctx.results.filter((result) => ctx.covered.has(result.name));
  const decision = decide({
    previous,
    results: covered,
    config: config.alerts,
    silences,
    dependsOn: Object.fromEntries(config.checks.map((check) => [check.name, check.depends_on])),
    targets: Object.fromEntries(config.checks.map((check) => [check.name, maskedTarget(check)])),
    now: ctx.now,
    host: ctx.report.host,
    logFile: config.log_file,
  });
  for (const line of mutedLines(decision.muted)) log.write('INFO', line);
  // alerts.template's words, put in once here so the outbox keeps what was meant to be sent (docs/alerting.md#templates)
  const messages = decision.messages.map((message) => applyTemplate(message, config.alerts.template));
  const known = new Set(config.checks.map((check) => check.name));
  const dropped = Object.keys(previous).filter((name) => !known.has(name));
  // Channels told every run (Alertmanager) get what fires now, not only what changed (docs/alerting.md#alertmanager).
  const snapshot = runSnapshot({
    previous,
    next: decision.next,
    results: covered,
    dropped,
    told: messages,
    now: ctx.now,
    host: ctx.report.host,
    logFile: config.log_file,
  });

  if (!ctx.options.alert) {
    // --no-alert: nothing is sent and the alert state is left exactly as it was, so the next normal run (cron)
    // still sends what this one would have.
    for (const message of messages) log.write('INFO', say.delivery.notSentNoAlert(message.subject));
    return undefined;
  }
  if (!ctx.stateWritable) {
    // Without state a sent alert cannot be remembered, and every run (every five minutes) would send it again.
    // This is usually an operator's run without root next to cron's: cron's run, with its state, alerts.
    for (const message of messages) {
      log.write('ERROR', say.delivery.notSentNoState(config.state_dir, message.subject));
    }
    return undefined;
  }

  // The notifiers (and their schemas, nodemailer's loader) are imported only when there is something to send or
  // retry: a quiet run, most of cron's 105,120 a year, never parses them (docs/performance.md).
  const pending = messages.length > 0 || Object.keys(outbox).length > 0 || snapshot !== undefined;
  let channels: Channel[] = [];
  let noChannel = '';
  if (pending) {
    // A channel's schema may be built while it binds: zod's bundled copy first, quicker than node_modules' (zod-lazy).
    await (await import('../config/zod-lazy.js')).loadZod();
    const registry = await import('../notifiers/index.js');
    channels = registry.configuredChannels(config.alerts);
    noChannel = say.delivery.noChannel(
      registry.CHANNEL_KINDS.map((kind) => `alerts.${kind}`),
      ENV_CHANNEL_VARS,
    );
  }
  // The state this step leaves, for a given outbox: the decision's alert states, the outbox, the silences in force.
  const stateWith = (nextOutbox: Outbox): State =>
    withAlerting(ctx.state, decision.next, {
      outbox: nextOutbox,
      // a check gone from the config takes its alert state with it; ended silences are forgotten
      drop: dropped,
      ...(ctx.state.silences !== undefined
        ? { silences: silences.filter((s) => Date.parse(s.until) > ctx.now.getTime()) }
        : {}),
    });

  let nextOutbox: Outbox = outbox;
  if (channels.length === 0) {
    for (const message of messages) {
      log.write('INFO', say.delivery.subjectOnly(message.subject));
      log.write('INFO', say.delivery.notSentWhy(noChannel));
    }
    nextOutbox = {};
  } else if (pending) {
    // Keep a little of the deadline for the steps after this one (history, outputs) and the state write.
    const reserve = Math.min(2000, config.deadline / 10);
    const elapsed = ctx.report.duration_ms;
    nextOutbox = await deliver({
      channels,
      outbox,
      fresh: messages,
      snapshot,
      report: ctx.report,
      now: ctx.now,
      host: ctx.report.host,
      remainingMs: () => ctx.deadlineAt - ctx.now.getTime() - elapsed - (performance.now() - stepStarted) - reserve,
      sendTimeoutMs: config.timeout,
      log,
      // handed over = remembered: each step of delivery is in state (fsync'd) before the next (docs/files.md)
      ...(ctx.persist ? { remember: (pendingOutbox: Outbox) => ctx.persist!(stateWith(pendingOutbox)) } : {}),
    });
  }
  return stateWith(nextOutbox);
}
