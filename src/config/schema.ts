// The whole config file's schema: top-level keys, thresholds, and every check built from the registry's schemas.
import { LANGUAGES, say } from '../i18n/index.js';
import { z } from 'zod';
import { alertsSchema } from '../alerts/schema.js';
import { CHECK_TYPES, CHECKS, type CheckType } from '../checks/index.js';
import type { CommonCheckFields } from '../checks/check.js';
import { outputsSchema } from '../outputs/schema.js';
import { historySchema } from '../history/schema.js';
import { serveSchema } from '../serve/schema.js';
import { didYouMean } from '../util/nearest.js';
import { duration, percentThresholds, strictObject } from './schema-kit.js';

/** Check names end up in log lines, Prometheus labels and `--only`: keep them plain. */
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const commonShape = {
  name: z.string().regex(CHECK_NAME, say.config.checkName),
  timeout: duration().optional(),
  enabled: z.boolean().default(true),
  hint: z.string().optional(),
  depends_on: z.array(z.string()).default([]),
};

function checkSchemaFor<T extends CheckType>(type: T) {
  const own = CHECKS[type].schema as unknown as z.ZodObject;
  return strictObject({ ...own.shape, ...commonShape, type: z.literal(type) });
}

const checkSchema = z.discriminatedUnion(
  'type',
  CHECK_TYPES.map(checkSchemaFor) as unknown as [
    ReturnType<typeof checkSchemaFor>,
    ...ReturnType<typeof checkSchemaFor>[],
  ],
  {
    error: (issue) => {
      const given = (issue.input as { type?: unknown } | undefined)?.type;
      if (typeof given !== 'string') return say.config.checkNeedsType(CHECK_TYPES);
      return say.config.unknownCheckType(given, didYouMean(given, CHECK_TYPES), CHECK_TYPES);
    },
  },
);

export const configSchema = strictObject({
  // The language of every sentence for people (docs/language.md); what machines read never changes with it.
  language: z.enum(LANGUAGES).default('en'),
  log_file: z.string().min(1).default('/var/log/neuronova/health_check.log'),
  state_dir: z.string().min(1).default('/var/lib/neuronova'),
  timeout: duration().default(10_000),
  deadline: duration().default(60_000),
  // Sockets are cheap, forks are not (docs/performance.md): many network checks at once, few programs at once.
  // 256 keeps 1,000 endpoints answering in 100 ms within 1.5 s on 2 cores (bench/RESULTS.md); 32 took 4 s.
  concurrency: z.number().int().min(1).max(10_000).default(256),
  process_concurrency: z.number().int().min(1).max(1_000).default(8),
  thresholds: strictObject({
    disk: percentThresholds().default({ warning: 80, critical: 90 }),
    memory: percentThresholds().default({ warning: 80, critical: 90 }),
    cpu: strictObject({ warning: z.number().min(0), critical: z.number().min(0) }).default({
      warning: 70,
      critical: 90,
    }),
  }).default({
    disk: { warning: 80, critical: 90 },
    memory: { warning: 80, critical: 90 },
    cpu: { warning: 70, critical: 90 },
  }),
  checks: z.array(checkSchema).default([]),
  alerts: alertsSchema.default(alertsSchema.parse({})),
  outputs: outputsSchema.default({}),
  history: historySchema.default(historySchema.parse({})),
  log_sources: z.array(z.string().min(1)).default([]),
  serve: serveSchema.default(serveSchema.parse({})),
});

export type ParsedConfig = z.output<typeof configSchema>;

/** A check as the engine runs it: common fields resolved (timeout in ms), type-specific keys as parsed. */
export type CheckConfig = CommonCheckFields & Record<string, unknown>;

export interface Config extends Omit<ParsedConfig, 'checks'> {
  checks: CheckConfig[];
  /** Where the config came from: a file path, or null for the built-in defaults. */
  source: string | null;
  /** Set when the file lists no checks and the built-in set runs instead: why, for the log (`no checks: in FILE`). */
  builtInChecks?: string;
}
