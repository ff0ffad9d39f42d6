// `test-alert [--channel <kind>]`: send a test message through each configured channel and say which worked.
import { say, useLanguage } from '../i18n/index.js';
import { hostname } from 'node:os';
import { sendOne } from '../alerts/deliver.js';
import { testMessage } from '../alerts/message.js';
import { loadConfig, locateConfig } from '../config/load.js';
import { ENV_CHANNEL_VARS } from '../alerts/env-channels.js';
import { CHANNEL_KINDS, configuredChannels } from '../notifiers/index.js';
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
    throw new UsageError(say.testAlert.noChannel(CHANNEL_KINDS.map((kind) => `alerts.${kind}`), ENV_CHANNEL_VARS));
  }
  const channels = flags.channel ? all.filter((channel) => channel.kind === flags.channel) : all;
  if (channels.length === 0) {
    throw new UsageError(say.testAlert.noSuchChannel(flags.channel!, all.map((c) => c.kind)));
  }

  const host = hostname();
  const now = new Date();
  const message = testMessage(host, now, config.log_file);
  const deadlineAt = Date.now() + config.deadline;
  const outcomes = await Promise.all(
    channels.map(async (channel) => ({
      channel,
      error: await sendOne(channel, { message }, { sendTimeoutMs: config.timeout, remainingMs: () => deadlineAt - Date.now(), now, host }),
    })),
  );

  // The log keeps a trace of tests too; a log that cannot be written does not matter here (the terminal says it all).
  const log = openRunLog(config.log_file, () => undefined);
  const sent = outcomes.filter((o) => o.error === undefined).map((o) => o.channel.label);
  if (sent.length) log.write('INFO', say.testAlert.logSent(sent));
  for (const o of outcomes) if (o.error !== undefined) log.write('ERROR', say.testAlert.logNotSent(o.channel.label, o.error));
  log.close();

  const failed = outcomes.filter((o) => o.error !== undefined);
  if (flags.json) {
    io.out(
      JSON.stringify(
        { ok: failed.length === 0, channels: outcomes.map((o) => ({ channel: o.channel.kind, label: o.channel.label, ok: o.error === undefined, ...(o.error ? { error: o.error } : {}) })) },
        null,
        2,
      ) + '\n',
    );
  } else if (!flags.quiet) {
    const paint = await makePaint(io.color);
    const lines = outcomes.map((o) =>
      o.error === undefined ? `${paint.level('OK', '✔')} ${say.testAlert.sent(o.channel.label)}` : `${paint.level('CRITICAL', '✖')} ${o.channel.label}: ${o.error}`,
    );
    lines.push(
      failed.length === 0
        ? say.testAlert.allSent(outcomes.length)
        : say.testAlert.someFailed(failed.length, outcomes.length, `neuronova-health-check test-alert --channel ${failed[0]!.channel.kind}`),
    );
    io.out(lines.join('\n') + '\n');
  }
  return failed.length === 0 ? 0 : EXIT_CHANNEL_FAILED;
}
