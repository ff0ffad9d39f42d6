// One serve cycle: the configured checks through the run's engine, masked, into a report. Nothing is written anywhere
// (no lock, log, state, history, alerts): cron's `run` owns those (docs/serve.md "What serve does not do").
import type { Config } from '../config/schema.js';
import { executeChecks } from '../engine/execute.js';
import { buildReport } from '../run-report/build-report.js';
import type { CheckResult, RunReport } from '../types.js';
import { maskDeep } from '../util/mask.js';

export interface Snapshot {
  results: CheckResult[];
  report: RunReport;
  /** Epoch ms when the cycle started and ended. */
  startedAt: number;
  finishedAt: number;
}

export interface Cycler {
  run(stop?: AbortSignal): Promise<Snapshot>;
}

/** A cycle runner that keeps each check's `remember` memory in this process, from one cycle to the next. */
export function cycler(config: Config, host: string, clock: () => Date = () => new Date()): Cycler {
  const checks = config.checks.filter((check) => check.enabled);
  const memory = new Map<string, Record<string, unknown>>();
  return {
    async run(stop) {
      const started = clock();
      const startedAt = performance.now();
      const raw = await executeChecks(checks, {
        concurrency: config.concurrency,
        processConcurrency: config.process_concurrency,
        deadlineMs: config.deadline,
        now: started,
        thresholds: config.thresholds,
        previous: (name) => memory.get(name),
        ...(stop ? { stop } : {}),
      });
      const results = raw.map((result) => maskDeep(result));
      // A cycle cut short by a stop proves nothing about the checks: its memory is not kept.
      if (!stop?.aborted) for (const result of raw) if (result.remember) memory.set(result.name, result.remember);
      const report = buildReport(results, { started, durationMs: performance.now() - startedAt, host });
      return { results, report, startedAt: started.getTime(), finishedAt: clock().getTime() };
    },
  };
}
