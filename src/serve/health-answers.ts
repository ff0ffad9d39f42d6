// The health API's answers, built from one cycle's snapshot: the shapes docs/serve.md shows (the uptime-monitor ones).
import { prometheusText } from '../outputs/prometheus.js';
import type { CheckResult, ServiceEntry } from '../types.js';
import type { Snapshot } from './cycle.js';

export interface Answer {
  status: number;
  type: string;
  body: Buffer;
  /** Extra response headers (Allow, Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function json(status: number, value: unknown): Answer {
  return { status, type: JSON_TYPE, body: Buffer.from(JSON.stringify(value) + '\n') };
}

/** 503 only when unhealthy: a load balancer keeps a degraded host in rotation (docs/serve.md "Endpoints"). */
const httpStatus = (snapshot: Snapshot) => (snapshot.report.status === 'unhealthy' ? 503 : 200);

export function healthAnswer(snapshot: Snapshot): Answer {
  return json(httpStatus(snapshot), { status: snapshot.report.status, timestamp: snapshot.report.timestamp });
}

/** Checks that talk to a peer: when one fails before the peer answers, its response time is how long it took to fail. */
const NETWORK_TYPES = new Set(['http', 'tcp', 'postgres', 'redis']);

/** One service in the detailed answer: the fields an uptime monitor's keyword rules and people look at, nothing more. */
function detailedService(entry: ServiceEntry, result: CheckResult | undefined) {
  const pick = (key: string) => (entry[key] !== undefined ? { [key]: entry[key] } : {});
  const took = entry.response_time_ms ?? (result && NETWORK_TYPES.has(result.type) ? result.durationMs : undefined);
  return {
    status: entry.status,
    ...(took !== undefined ? { response_time_ms: took } : {}),
    ...pick('url'),
    ...pick('usage_percent'),
    ...pick('free_gb'),
    message: entry.message,
  };
}

export function detailedAnswer(snapshot: Snapshot): Answer {
  const { report } = snapshot;
  const byName = new Map(snapshot.results.map((result) => [result.name, result]));
  const services = Object.fromEntries(
    Object.entries(report.services).map(([name, entry]) => [name, detailedService(entry, byName.get(name))]),
  );
  return json(httpStatus(snapshot), {
    status: report.status,
    timestamp: report.timestamp,
    services,
    total_response_time_ms: report.duration_ms,
  });
}

export function readyAnswer(snapshot: Snapshot): Answer {
  const failing = snapshot.results.filter((result) => result.level === 'CRITICAL').map((result) => result.name);
  return failing.length ? json(503, { status: 'not ready', failing }) : json(200, { status: 'ready' });
}

/**
 * Alive while cycles keep finishing: the last one (or the start, before the first) is younger than 3 × interval.
 * A stuck loop shows here, so Kubernetes restarts the process instead of trusting old answers.
 */
export function liveAnswer(
  latest: Snapshot | undefined,
  startedAt: number,
  intervalMs: number,
  now = Date.now(),
): Answer {
  const since = latest?.finishedAt ?? startedAt;
  const age = Math.max(0, now - since);
  const body = { status: age < 3 * intervalMs ? 'alive' : 'stale', last_cycle_age_s: Math.round(age / 100) / 10 };
  return json(age < 3 * intervalMs ? 200 : 503, body);
}

export function metricsAnswer(snapshot: Snapshot): Answer {
  return { status: 200, type: METRICS_TYPE, body: Buffer.from(prometheusText(snapshot.results, snapshot.report)) };
}

/** The answers that depend only on the snapshot, built once per cycle: a request costs a lookup, not a render. */
export interface SnapshotAnswers {
  health: Answer;
  detailed: Answer;
  ready: Answer;
  metrics: Answer;
}

export function snapshotAnswers(snapshot: Snapshot): SnapshotAnswers {
  return {
    health: healthAnswer(snapshot),
    detailed: detailedAnswer(snapshot),
    ready: readyAnswer(snapshot),
    metrics: metricsAnswer(snapshot),
  };
}
