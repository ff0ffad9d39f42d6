// `cpu` check: 1-minute load average / cores × 100 against thresholds (os.loadavg, no sampling delay).
import { availableParallelism, loadavg } from 'node:os';
import { z } from 'zod';
import { round1, round2 } from '../util/time.js';
import { defineCheck } from './check.js';
import { crossedThreshold, levelForPercent, resolveThresholds } from './resource-level.js';

export const cpu = defineCheck({
  type: 'cpu',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (README "Performance").
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
    const crossed = crossedThreshold(percent, thresholds);
    return {
      level: levelForPercent(percent, thresholds),
      message: `load ${loads.join(' ')} on ${cores} cores (${percent}% of capacity${crossed ? `, ${crossed}` : ''})`,
      details: { load_percent: percent, load_avg: loads, cores },
      perf: [
        { label: cfg.name, value: percent, uom: '%', warn: String(thresholds.warning), crit: String(thresholds.critical), min: 0 },
        { label: 'load1', value: loads[0]! },
      ],
    };
  },
});
