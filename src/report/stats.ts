// Small statistics for reports: nearest-rank percentiles, averages, and percentages that never round up past a target.

/** Nearest-rank percentile of ascending `sorted` (p in 0..100): the smallest value with at least p % of values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export interface ResponseStats {
  /** Runs that measured a response time. */
  measured: number;
  avg: number;
  p50: number;
  p95: number;
  max: number;
}

export function responseStats(values: number[]): ResponseStats | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    measured: sorted.length,
    avg: Math.round((sum / sorted.length) * 10) / 10,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * `part / whole` as a percentage cut (not rounded) to three decimals, so 99.8996 % is never shown as 99.9 % and
 * mistaken for a met target. Null when there is nothing to divide.
 */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  if (part === whole) return 100;
  return Math.floor((part / whole) * 100_000) / 1000;
}
