// `memory` check: used % = (MemTotal − MemAvailable) / MemTotal, read from /proc/meminfo (no child process).
import { say } from '../i18n/index.js';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { round1 } from '../util/time.js';
import { defineCheck, type CheckMetrics } from './check.js';
import { crossedThreshold, levelForPercent, resolveThresholds } from './resource-level.js';

const GB = 1024 ** 3;

export interface MemoryUsage {
  total: number;
  available: number;
  percent: number;
}

/** Bytes from /proc/meminfo; MemAvailable is the kernel's own estimate of what can be used without swapping. */
export async function memoryUsage(meminfoPath = '/proc/meminfo'): Promise<MemoryUsage> {
  const text = await readFile(meminfoPath, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const total = field('MemTotal');
  if (!total) throw new Error(`no MemTotal in ${meminfoPath}`);
  // Kernels before 3.14 have no MemAvailable: approximate it the way free(1) used to.
  const available = field('MemAvailable') ?? (field('MemFree') ?? 0) + (field('Buffers') ?? 0) + (field('Cached') ?? 0);
  return { total, available, percent: ((total - available) / total) * 100 };
}

/** Prometheus: the used % run() below puts in the JSON fields, as a ratio. */
const memoryMetrics: CheckMetrics = {
  families: { memory_used_ratio: 'Used fraction of memory (0-1): (MemTotal - MemAvailable) / MemTotal.' },
  samples(result) {
    const details = result.details as { usage_percent: number } | undefined;
    return details
      ? [{ family: 'memory_used_ratio', labels: { check: result.name }, value: details.usage_percent / 100 }]
      : [];
  },
};

export const memory = defineCheck({
  type: 'memory',
  metrics: memoryMetrics,
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      warning: z.number().min(0).max(100).optional(),
      critical: z.number().min(0).max(100).optional(),
    });
  },
  timeoutLevel: 'UNKNOWN',
  async run(cfg, ctx) {
    const thresholds = resolveThresholds(ctx.thresholds.memory, cfg);
    const usage = await memoryUsage();
    const percent = round1(usage.percent);
    return {
      level: levelForPercent(usage.percent, thresholds),
      message: say.check.memory({
        percent,
        level: levelForPercent(usage.percent, thresholds),
        crossed: crossedThreshold(usage.percent, thresholds),
        availableGiB: round1(usage.available / GB),
        totalGiB: round1(usage.total / GB),
      }),
      details: {
        usage_percent: percent,
        available_gb: round1(usage.available / GB),
        total_gb: round1(usage.total / GB),
      },
      perf: [
        {
          label: cfg.name,
          value: percent,
          uom: '%',
          warn: String(thresholds.warning),
          crit: String(thresholds.critical),
          min: 0,
          max: 100,
        },
      ],
    };
  },
});
