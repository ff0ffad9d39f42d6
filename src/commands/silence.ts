// `silence --for 2h [--reason TEXT] [check...]`, `silence --clear`, and plain `silence` to list what is muted now.
import { say, useLanguage } from '../i18n/index.js';
import { muteLines } from '../alerts/mute-lines.js';
import { addSilence, changeSilences, currentMutes } from '../alerts/silences.js';
import { loadConfig, locateConfig } from '../config/load.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';
import { noCheckNamed } from '../util/nearest.js';
import { localStamp } from '../util/time.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface SilenceFlags extends GlobalOptions {
  for?: string;
  reason?: string;
  clear?: boolean;
}

/** A silence longer than this is a forgotten one; `enabled: false` in the config is the way to stop for good. */
const MAX_SILENCE_MS = 30 * 86_400_000;

export async function silenceCommand(flags: SilenceFlags, io: CommandIO, checks: string[] = []): Promise<number> {
  const config = loadConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
  const store = {
    stateDir: config.state_dir,
    deadlineMs: config.deadline,
    onProblem: (message: string) => io.err(`neuronova-health-check: ${message}\n`),
  };
  const now = new Date();
  const names = config.checks.map((check) => check.name);

  if (flags.clear) {
    if (flags.for !== undefined || checks.length) throw new UsageError(say.usage.clearAlone);
    let ended = 0;
    await changeSilences(store, (active) => {
      ended = active.length;
      return [];
    });
    if (flags.json) io.out(JSON.stringify({ cleared: ended, silences: [] }, null, 2) + '\n');
    else if (!flags.quiet) io.out(`${ended ? say.silence.ended(ended) : say.silence.noneWas}\n`);
    return 0;
  }

  if (flags.for === undefined) {
    if (checks.length || flags.reason) throw new UsageError(say.usage.silenceHowLong);
    const mutes = currentMutes(config.state_dir, config.alerts.maintenance, now);
    if (flags.json)
      io.out(JSON.stringify({ mutes: mutes.map((m) => ({ ...m, until: m.until.toISOString() })) }, null, 2) + '\n');
    else if (!flags.quiet) io.out(mutes.length ? muteLines(mutes, now) : `${say.silence.noneInForce}\n`);
    return 0;
  }

  const forMs = parseDuration(flags.for);
  if (forMs === undefined || forMs <= 0) throw new UsageError(say.usage.notDuration(flags.for));
  if (forMs > MAX_SILENCE_MS) throw new UsageError(say.usage.tooLong(flags.for));
  for (const name of checks) {
    if (!names.includes(name)) throw new UsageError(say.usage.silenceUnknown(noCheckNamed(name, names), names));
  }
  const reason = flags.reason?.replace(/\s+/g, ' ').trim().slice(0, 200);
  const by = process.env.SUDO_USER || process.env.USER || process.env.LOGNAME;
  const silences = await addSilence(
    store,
    { checks: [...new Set(checks)], forMs, ...(reason ? { reason } : {}), ...(by ? { by } : {}) },
    now,
  );
  const added = silences[silences.length - 1]!;
  if (flags.json) io.out(JSON.stringify({ silence: added, silences }, null, 2) + '\n');
  else if (!flags.quiet) {
    io.out(
      `${say.silence.added(localStamp(new Date(added.until)), say.duration(forMs), checks.length ? added.checks : [], reason)}\n`,
    );
  }
  return 0;
}
