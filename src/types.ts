// The shapes that flow through a run: check outcomes, results, the run report.
import type { Level } from './levels.js';
export type { Level } from './levels.js';

/** One Nagios-style performance datum: 'label'=value[uom];warn;crit;min;max */
export interface PerfDatum {
  label: string;
  value: number;
  uom?: string;
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

/** One sample of a check type's own Prometheus family: `neuronova_<family>{labels} value`. */
export interface MetricSample {
  family: string;
  labels: Record<string, string>;
  value: number;
}

/** What a check returns. Checks return values; they never mutate shared objects. */
export interface CheckOutcome {
  level: Level;
  /** Short message, as shown in JSON (`HTTP 502 Bad Gateway`). */
  message: string;
  /** Longer form for the log line (`HTTP 502 Bad Gateway from http://… (35 ms)`); defaults to `message`. */
  logMessage?: string;
  responseTimeMs?: number;
  /** Extra JSON fields merged into the check's entry under `services` (e.g. http_status, usage_percent). */
  details?: Record<string, unknown>;
  /** Numeric performance data for Nagios, Prometheus and history. */
  perf?: PerfDatum[];
  /** Small memory kept until the next run of this check (e.g. systemd NRestarts). */
  remember?: Record<string, unknown>;
}

/** A check's outcome plus what the engine knows about it. */
export interface CheckResult extends CheckOutcome {
  name: string;
  type: string;
  durationMs: number;
  hint?: string;
  dependsOn?: string[];
}

export interface Summary {
  ok: number;
  warning: number;
  critical: number;
  unknown: number;
}

export interface ServiceEntry {
  type: string;
  level: Level;
  status: string;
  message: string;
  response_time_ms?: number;
  [field: string]: unknown;
}

/** The JSON report of docs/reference.md#json-report. */
export interface RunReport {
  status: string;
  level: Level;
  timestamp: number;
  time: string;
  host: string;
  duration_ms: number;
  services: Record<string, ServiceEntry>;
  summary: Summary;
}
