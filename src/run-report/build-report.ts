// Builds the JSON report (docs/reference.md#json-report) from a run's results (masked: nothing secret leaves through it).
import { statusWord, worst } from '../levels.js';
import type { CheckResult, RunReport, ServiceEntry, Summary } from '../types.js';
import { maskDeep } from '../util/mask.js';
import { localIso, round1 } from '../util/time.js';

export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  for (const result of results) summary[result.level.toLowerCase() as keyof Summary]++;
  return summary;
}

export function serviceEntry(result: CheckResult): ServiceEntry {
  return {
    type: result.type,
    level: result.level,
    status: statusWord(result.level),
    message: result.message,
    ...(result.responseTimeMs !== undefined ? { response_time_ms: result.responseTimeMs } : {}),
    ...result.details,
  };
}

export function buildReport(
  results: readonly CheckResult[],
  meta: { started: Date; durationMs: number; host: string },
): RunReport {
  const level = worst(results.map((r) => r.level));
  const services: Record<string, ServiceEntry> = {};
  for (const result of results) services[result.name] = serviceEntry(result);
  return maskDeep({
    status: statusWord(level),
    level,
    timestamp: Math.floor(meta.started.getTime() / 1000),
    time: localIso(meta.started),
    host: meta.host,
    duration_ms: round1(meta.durationMs),
    services,
    summary: summarize(results),
  });
}
