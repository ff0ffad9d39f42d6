// The `history:` block of the config: how long run history is kept, how big one file may grow, the availability target.
import { z } from 'zod';
import { duration, strictObject } from '../config/schema-kit.js';

const DAY_MS = 86_400_000;
const UNIT_BYTES: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

/** Bytes for "512KiB", "8MiB", "10MB", "2G" or a plain number of bytes; undefined when it is not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = UNIT_BYTES[(match?.[2] || 'b').toLowerCase()];
  return match && unit ? Math.round(Number(match[1]) * unit) : undefined;
}

const size = () =>
  z.unknown().transform((value, ctx) => {
    const bytes = parseSize(value);
    if (bytes === undefined || bytes < 4096) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a size of at least 4KiB: write it like 512KiB, 8MiB or 10MB`,
      });
      return z.NEVER;
    }
    return bytes;
  });

export const HISTORY_DEFAULTS = { retention: 90 * DAY_MS, max_file_size: 8 * 1024 ** 2, target: 99.9 };

export const historySchema = strictObject({
  /** How long run history is kept; whole days older than this are deleted. */
  retention: duration()
    .refine((ms) => ms >= DAY_MS, { message: 'must be at least 1d (history is kept in whole days)' })
    .default(HISTORY_DEFAULTS.retention),
  /** A day's file that grows past this is rotated (a guard for very many checks or very frequent runs). */
  max_file_size: size().default(HISTORY_DEFAULTS.max_file_size),
  /** Availability (percent of runs with every check up) that `report` and the status page measure against. */
  target: z.number().gt(0).max(100).default(HISTORY_DEFAULTS.target),
});

export type HistoryConfig = z.output<typeof historySchema>;
