// Zod building blocks shared by every config schema: strict objects that name the nearest valid key, durations, percents.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import { parseDuration } from '../util/duration.js';
import { nearest } from '../util/nearest.js';
import { shownText } from './issues.js';

/** An object that refuses unknown keys and suggests the nearest valid one ("unti" → did you mean "unit"?). */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys.map((key) => unknownKeyMessage(key, valid)).join('; ');
    },
  });
}

export function unknownKeyMessage(key: string, valid: readonly string[]): string {
  return say.config.unknownKey(key, nearest(key, valid), valid);
}

/** A duration string ("500ms", "10s", "5m", "1h", "2d"), parsed to milliseconds. */
export function duration() {
  return z.unknown().transform((value, ctx) => {
    const ms = typeof value === 'string' || value === 0 ? parseDuration(String(value)) : undefined;
    if (ms === undefined) {
      const hint =
        typeof value === 'number'
          ? say.config.noUnit(value)
          : say.config.notDuration(typeof value === 'string' ? shownText(value) : JSON.stringify(value));
      ctx.addIssue({ code: 'custom', message: hint });
      return z.NEVER;
    }
    return ms;
  });
}

export const percent = () => z.number().min(0).max(100);

/** `{warning, critical}` percentages (warning not above critical is checked with the checks' own, in cross-checks.ts). */
export const percentThresholds = () => strictObject({ warning: percent(), critical: percent() });

/** A non-empty string. */
export const text = () => z.string().min(1, say.config.notEmpty);

export const httpUrl = () =>
  z.string().refine((value) => /^https?:\/\/[^/\s]+/i.test(value), { message: say.config.httpUrl });

/** A schema built on first use, not when its module loads: a run that alerts from the cached config builds none. */
export function builtOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
