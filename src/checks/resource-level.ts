// Turns a used-percentage into a level against {warning, critical}, with per-check overrides over the config's defaults.
import type { Level } from '../levels.js';
import type { PercentThresholds } from './check.js';

export function resolveThresholds(
  defaults: PercentThresholds,
  override: { warning?: number | undefined; critical?: number | undefined },
): PercentThresholds {
  return { warning: override.warning ?? defaults.warning, critical: override.critical ?? defaults.critical };
}

export function levelForPercent(percent: number, thresholds: PercentThresholds): Level {
  if (percent >= thresholds.critical) return 'CRITICAL';
  if (percent >= thresholds.warning) return 'WARNING';
  return 'OK';
}

/** The threshold a value reached, for the message (`≥ 90%`); undefined while it is below both. */
export function crossedThreshold(percent: number, thresholds: PercentThresholds): string | undefined {
  if (percent >= thresholds.critical) return `≥ ${thresholds.critical}%`;
  if (percent >= thresholds.warning) return `≥ ${thresholds.warning}%`;
  return undefined;
}
