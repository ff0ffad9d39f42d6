// `test-alert [--channel <kind>]`: send a test message through each configured channel and say which worked.
import { say, useLanguage } from '../i18n/index.js';
import { hostname } from 'node:os';
import { labelFor, sendOne, type SendOutcome } from '../alerts/deliver.js';
import { testMessage } from '../alerts/message.js';
import { applyTemplate } from '../alerts/template.js';
import { loadConfig, locateConfig } from '../config/load.js';
import { ENV_CHANNEL_VARS } from '../alerts/env-channels.js';
import { CHANNEL_KINDS, configuredChannels, type Channel } from '../notifiers/index.js';
import { openRunLog } from '../run-log.js';
import { makePaint } from '../terminal/paint.js';
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface TestAlertFlags extends GlobalOptions {
  channel?: string;
}

/** Exit code when a channel failed: people would not hear of a CRITICAL through it. */
const EXIT_CHANNEL_FAILED = 2;

export async function testAlertCommand(flags: TestAlertFlags, io: CommandIO): Promise<number> {
  const config = loadConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
  const all = configuredChannels(config.alerts);
  if (all.length === 0) {
    throw new UsageError(
      say.testAlert.noChannel(
        CHANNEL_KINDS.map((kind) => `alerts.${kind}`),
        ENV_CHANNEL_VARS,
      ),
    );
  }
  const channels = flags.channel ? all.filter((channel) => channel.kind === flags.channel) : all;
  if (channels.length === 0) {
    throw new UsageError(
      say.testAlert.noSuchChannel(
        flags.channel!,
        all.map((c) => c.kind),
      ),
    );
  }

  const host = hostname();
  const now = new Date();
  const message = applyTemplate(testMessage(host, now, config.log_file), config.alerts.template);
  const deadlineAt = Date.now() + config.deadline;
  const outcomes = await Promise.all(
    channels.map(async (channel) => {
      const outcome = await sendOne(
        channel,
        { message },
        { sendTimeoutMs: config.timeout, remainingMs: () => deadlineAt - Date.now(), now, host },
      );
      return { channel, ...describeOutcome(channel, outcome) };
    }),
  );

  // The log keeps a trace of tests too; a log that cannot be written does not matter here (the terminal says it all).
  const log = openRunLog(config.log_file, () => undefined);
  for (const o of outcomes) for (const warning of o.warnings) log.write('WARNING', warning);
  const sent = outcomes.filter((o) => o.sentTo).map((o) => o.sentTo!);
  if (sent.length) log.write('INFO', say.testAlert.logSent(sent));
  for (const o of outcomes) for (const error of o.errors) log.write('ERROR', say.testAlert.logNotSent(error));
  log.close();

  const failed = outcomes.filter((o) => o.errors.length > 0);
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          ok: failed.length === 0,
          channels: outcomes.map((o) => ({
            channel: o.channel.kind,
            label: o.channel.label,
            ok: o.errors.length === 0,
            ...(o.errors.length ? { error: o.errors.join('; ') } : {}),
            ...(o.refused.length ? { refused: o.refused } : {}),
          })),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (!flags.quiet) {
    const paint = await makePaint(io.color);
    const lines: string[] = [];
    for (const o of outcomes) {
      for (const warning of o.warnings) lines.push(`${paint.level('WARNING', '!')} ${warning}`);
      if (o.sentTo) lines.push(`${paint.level('OK', '✔')} ${say.testAlert.sent(o.sentTo)}`);
      for (const error of o.errors) lines.push(`${paint.level('CRITICAL', '✖')} ${error}`);
    }
    lines.push(
      failed.length === 0
        ? say.testAlert.allSent(outcomes.length)
        : say.testAlert.someFailed(
            failed.length,
            outcomes.length,
            `neuronova-health-check test-alert --channel ${failed[0]!.channel.kind}`,
          ),
    );
    io.out(lines.join('\n') + '\n');
  }
  return failed.length === 0 ? 0 : EXIT_CHANNEL_FAILED;
}

/** What the terminal and the log say of one channel: who took it ("sent" only for them), who refused it and why. */
function describeOutcome(channel: Channel, outcome: SendOutcome) {
  if (!outcome.ok)
    return { sentTo: undefined, errors: [`${channel.label}: ${outcome.error}`], refused: [], warnings: [] as string[] };
  const { accepted, rejected, deferred, warnings = [] } = outcome.result;
  const errors = [
    ...rejected.map((r) => say.testAlert.refusedForGood(labelFor(channel, [r.recipient]), r.reason)),
    ...deferred.map((r) => say.testAlert.refusedForNow(labelFor(channel, [r.recipient]), r.reason)),
  ];
  const sentTo = accepted.length ? labelFor(channel, channel.recipients.length ? accepted : undefined) : undefined;
  return { sentTo, errors, refused: [...rejected, ...deferred], warnings };
}
