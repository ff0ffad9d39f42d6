// `cpu` check: 1-minute load average / cores × 100 against thresholds (os.loadavg, no sampling delay).
import { say } from '../i18n/index.js';
import { availableParallelism, loadavg } from 'node:os';
import { z } from 'zod';
import { round1, round2 } from '../util/time.js';
import { defineCheck, type CheckMetrics } from './check.js';
import { crossedThreshold, levelForPercent, resolveThresholds } from './resource-level.js';

const WINDOWS = ['1m', '5m', '15m'];

/** Prometheus: each load average run() below puts in the JSON fields, per core. */
const cpuMetrics: CheckMetrics = {
  families: { load_per_core: 'Load average divided by the number of cores, per window (1m, 5m, 15m).' },
  samples(result) {
    const details = result.details as { load_avg: number[]; cores: number } | undefined;
    if (!details?.cores) return [];
    return details.load_avg.map((load, i) => ({
      family: 'load_per_core',
      labels: { check: result.name, window: WINDOWS[i]! },
      value: load / details.cores,
    }));
  },
};

export const cpu = defineCheck({
  type: 'cpu',
  metrics: cpuMetrics,
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      warning: z.number().min(0).optional(),
      critical: z.number().min(0).optional(),
    });
  },
  timeoutLevel: 'UNKNOWN',
  async run(cfg, ctx) {
    const thresholds = resolveThresholds(ctx.thresholds.cpu, cfg);
    const cores = availableParallelism();
    const loads = loadavg().map(round2);
    const percent = round1((loads[0]! / cores) * 100);
    const level = levelForPercent(percent, thresholds);
    return {
      level,
      message: say.check.cpu({ loads, cores, percent, level, crossed: crossedThreshold(percent, thresholds) }),
      details: { load_percent: percent, load_avg: loads, cores },
      perf: [
        {
          label: cfg.name,
          value: percent,
          uom: '%',
          warn: String(thresholds.warning),
          crit: String(thresholds.critical),
          min: 0,
        },
        { label: 'load1', value: loads[0]! },
      ],
    };
  },
});
