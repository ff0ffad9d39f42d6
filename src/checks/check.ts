// The plug-in shape of a check type: its own config schema and a run() that returns an outcome.
import type { z } from 'zod';
import type { Level } from '../levels.js';
import type { CheckOutcome, CheckResult, MetricSample, PerfDatum } from '../types.js';

export interface PercentThresholds {
  warning: number;
  critical: number;
}

export interface ResourceThresholds {
  disk: PercentThresholds;
  memory: PercentThresholds;
  cpu: PercentThresholds;
}

/** Fields every check takes besides its type-specific ones (docs/reference.md#configuration). */
export interface CommonCheckFields {
  name: string;
  type: string;
  /** Milliseconds; the config's `timeout` when the check names none. */
  timeout: number;
  enabled: boolean;
  hint?: string;
  depends_on: string[];
}

/**
 * What the checks of one run share: one object per run, so a check type can answer all its checks with one piece of
 * work (the systemd checks' single `systemctl show`) keyed by it.
 */
export interface RunScope {
  /** Every check of this run, in config order. */
  checks: readonly CommonCheckFields[];
  /** Aborted when the run's deadline passes or the run is stopped. */
  signal: AbortSignal;
}

export interface CheckContext {
  /** Aborted when the check's timeout or the run's deadline passes: stop work, close sockets, kill children. */
  signal: AbortSignal;
  now: Date;
  /** What this check remembered on its previous run (`CheckOutcome.remember`). */
  previous?: Record<string, unknown>;
  /** Resource thresholds from the config, for checks that take per-check overrides. */
  thresholds: ResourceThresholds;
  /** The run this check belongs to; absent when a check is run on its own. */
  run?: RunScope;
}

export interface Check<Schema extends z.ZodType = z.ZodType, Type extends string = string> {
  type: Type;
  /** Type-specific keys only; the common ones are added by the config schema. */
  schema: Schema;
  /**
   * The level a check gets when its timeout passes before it could tell. Network checks say CRITICAL
   * (a service that does not answer in time is down); checks that run programs say UNKNOWN (Nagios convention).
   */
  timeoutLevel: Level;
  /**
   * True for checks that start a program (systemd, command). The engine runs at most `process_concurrency` of them at
   * once, however high `concurrency` is: forking is costly on the host being checked, a socket is not.
   */
  startsProcess?: boolean;
  /**
   * True for checks whose clock runs in a probe worker that waits for a quiet host before it starts (tcp, postgres,
   * redis; src/probes/): the run then imports nothing meanwhile, since on a small host that work slows the worker's
   * exchange too (docs/checks-timing.md).
   */
  timedInWorker?: boolean;
  run(cfg: z.output<Schema> & CommonCheckFields, ctx: CheckContext): Promise<CheckOutcome>;
  /**
   * Prometheus families of its own (besides status, up, duration and response time, which every check has): each
   * family's name without `neuronova_` and its HELP text, and the samples one of its results gives.
   */
  metrics?: CheckMetrics;
  /** Nagios perfdata of one of its results when it is not `result.perf` as is (a plugin's labels get the check's name). */
  nagiosPerf?(result: CheckResult): PerfDatum[];
}

export interface CheckMetrics {
  families: Record<string, string>;
  samples(result: CheckResult): MetricSample[];
}

/** Identity helper that keeps the schema's type flowing into run()'s cfg parameter. */
export function defineCheck<Schema extends z.ZodType, const Type extends string>(
  check: Check<Schema, Type>,
): Check<Schema, Type> {
  return check;
}
