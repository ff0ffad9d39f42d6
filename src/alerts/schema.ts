// The `alerts:` block of the config: when to notify, maintenance windows, and the channels (each validates its own keys).
import { z } from 'zod';
import { duration, strictObject } from '../config/schema-kit.js';
import { CHANNEL_KINDS, NOTIFIERS, type ChannelConfigs, type ChannelKind } from '../notifiers/index.js';
import { didYouMean, noCheckNamed } from '../util/nearest.js';
import { placeholderProblem } from './template.js';

/** Index = Date#getDay(): 0 is Sunday. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MAX_WINDOW_MS = 7 * 86_400_000;

const day = () =>
  z.string().transform((value, ctx) => {
    const word = value.trim().toLowerCase();
    const index = Math.max(DAY_NAMES.indexOf(word as (typeof DAY_NAMES)[number]), FULL_DAY_NAMES.indexOf(word));
    if (index >= 0) return index;
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a day${didYouMean(word, [...DAY_NAMES, ...FULL_DAY_NAMES])}; write ${DAY_NAMES.slice(1).join(', ')} or sun`,
    });
    return z.NEVER;
  });

/** A recurring window, in local time, during which alerts are muted (checks still run and log). */
export const maintenanceSchema = strictObject({
  /** Days the window starts on; every day when absent. */
  days: z.array(day()).min(1).optional(),
  start: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a local time like "03:00" (24-hour clock, quoted)'),
  duration: duration().refine((ms) => ms >= 60_000 && ms <= MAX_WINDOW_MS, 'must be between 1m and 7d'),
  /** Checks it mutes; all when absent. */
  checks: z.array(z.string().min(1)).min(1).optional(),
  reason: z.string().optional(),
});

export type MaintenanceWindow = z.output<typeof maintenanceSchema>;

const templateText = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .superRefine((text, ctx) => {
      const problem = placeholderProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** The user's own subject and body for every channel's human text (docs/alerting.md#templates). */
export const templateSchema = strictObject({ subject: templateText().optional(), body: templateText().optional() });

export const alertsSchema = strictObject({
  on: z.enum(['warning', 'critical']).default('critical'),
  after: z.number().int().min(1).default(1),
  recover_after: z.number().int().min(1).default(1),
  repeat: duration().default(3_600_000),
  recovery: z.boolean().default(true),
  maintenance: z.array(maintenanceSchema).default([]),
  template: templateSchema.optional(),
  ...channelKeys(),
});

/** One optional key per channel of the registry (src/notifiers/registry.ts), validated by the channel's own schema. */
function channelKeys() {
  const shape = Object.fromEntries(CHANNEL_KINDS.map((kind) => [kind, NOTIFIERS[kind].schema.optional()]));
  return shape as { [K in ChannelKind]: z.ZodOptional<z.ZodType<ChannelConfigs[K]>> };
}

export type AlertsConfig = z.output<typeof alertsSchema>;

/** `alerts.maintenance[i].checks` must name checks of the file (found on the raw data, listed with the other problems). */
export function maintenanceCheckProblems(raw: unknown, known: ReadonlyMap<string, unknown>): string[] {
  const windows = (raw as { alerts?: { maintenance?: unknown } })?.alerts?.maintenance;
  if (!Array.isArray(windows)) return [];
  const problems: string[] = [];
  windows.forEach((window, w) => {
    const checks = (window as { checks?: unknown })?.checks;
    if (!Array.isArray(checks)) return;
    checks.forEach((name, c) => {
      if (typeof name !== 'string' || known.has(name)) return;
      problems.push(`alerts.maintenance[${w}].checks[${c}]: ${noCheckNamed(name, [...known.keys()])}`);
    });
  });
  return problems;
}
