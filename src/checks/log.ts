// `log` check: how many entries matching a pattern an application log got in the last window, by their own timestamps.
import { say } from '../i18n/index.js';
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { duration } from '../config/schema-kit.js';
import { maskText } from '../util/mask.js';
import { defineCheck } from './check.js';
import { scanBackwards } from './log-scan.js';
import { TIMESTAMP_FORMATS } from './log-timestamps.js';
import { codeOf, messageOf } from '../util/errors.js';

const SHOWN_LINE = 200;

function shorten(line: string): string {
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > SHOWN_LINE ? `${flat.slice(0, SHOWN_LINE)}…` : flat;
}

export const log = defineCheck({
  type: 'log',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      path: z.string().refine(isAbsolute, 'must be an absolute path, like /srv/app/logs/error.log'),
      pattern: z
        .string()
        .min(1, 'must not be empty')
        .superRefine((value, ctx) => {
          try {
            new RegExp(value);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${messageOf(error)}` });
          }
        }),
      ignore_case: z.boolean().default(false),
      /** How far back to count, by the lines' own timestamps; the cron interval by default. */
      window: duration().default(300_000),
      /** Counts at or above which the check is WARNING / CRITICAL. With neither set, any match is CRITICAL. */
      warning: z.number().int().min(1).optional(),
      critical: z.number().int().min(1).optional(),
    });
  },
  // Reading a file that slowly is a problem of the host, not proof of errors in the application.
  timeoutLevel: 'UNKNOWN',
  async run(cfg, ctx) {
    const regex = new RegExp(cfg.pattern, cfg.ignore_case ? 'i' : '');
    const critical = cfg.warning === undefined && cfg.critical === undefined ? 1 : cfg.critical;
    const window = say.duration(cfg.window);
    const since = ctx.now.getTime() - cfg.window;
    const what = `/${cfg.pattern}/${cfg.ignore_case ? 'i' : ''}`;

    let info;
    try {
      info = await stat(cfg.path);
    } catch (error) {
      const code = codeOf(error);
      // Missing is UNKNOWN, not CRITICAL: nothing says the application failed, but the check cannot tell (a wrong
      // path, or an application that has not logged since its log was rotated away).
      const why =
        code === 'ENOENT'
          ? say.check.log.notFound(cfg.path)
          : say.check.log.cannotRead(cfg.path, code === 'EACCES' ? say.check.log.permissionDenied : messageOf(error));
      return { level: 'UNKNOWN', message: why, details: { path: cfg.path } };
    }
    if (!info.isFile())
      return { level: 'UNKNOWN', message: say.check.log.notAFile(cfg.path), details: { path: cfg.path } };

    let count = 0;
    let latest: string | undefined;
    // A file not written since the window began has nothing in it: no need to open it.
    if (info.mtimeMs >= since && info.size > 0) {
      let scan;
      try {
        scan = await scanBackwards(cfg.path, {
          since,
          now: ctx.now,
          matches: (line) => regex.test(line),
          signal: ctx.signal,
        });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const code = codeOf(error);
        const why = code === 'EACCES' ? say.check.log.permissionDenied : messageOf(error);
        return { level: 'UNKNOWN', message: say.check.log.cannotRead(cfg.path, why), details: { path: cfg.path } };
      }
      if (!scan.format) {
        const formats = TIMESTAMP_FORMATS.map((f) => f.name).join(', ');
        return {
          level: 'UNKNOWN',
          message: say.check.log.noTimestamps(cfg.path, scan.gaveUp ? Math.round(scan.bytesRead / 1048576) : undefined),
          logMessage: say.check.log.noTimestampsKnown(cfg.path, formats),
          details: { path: cfg.path },
        };
      }
      ({ count, latest } = scan);
    }

    let level: Level = 'OK';
    if (critical !== undefined && count >= critical) level = 'CRITICAL';
    else if (cfg.warning !== undefined && count >= cfg.warning) level = 'WARNING';
    const message = say.check.log.counted(
      count,
      what,
      window,
      level === 'OK' ? undefined : { warning: cfg.warning, critical },
    );
    const shown = latest === undefined ? undefined : maskText(shorten(latest));
    return {
      level,
      message,
      logMessage: say.check.log.where(message, cfg.path, shown),
      details: { path: cfg.path, matches: count, ...(shown ? { latest_match: shown } : {}) },
      // Nagios ranges alert when the value is above N, so "at or above c" is written as c-1.
      perf: [
        {
          label: `${cfg.name}_matches`,
          value: count,
          min: 0,
          ...(cfg.warning !== undefined ? { warn: String(cfg.warning - 1) } : {}),
          ...(critical !== undefined ? { crit: String(critical - 1) } : {}),
        },
      ],
    };
  },
});
