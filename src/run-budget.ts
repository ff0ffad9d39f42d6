// How one run's deadline is shared: checks first, alerts next with a reserved share, then the other after-run steps.
import { ownCrashes } from './engine/crash-scope.js';
import { formatDuration } from './util/duration.js';

/**
 * Checks stop this long before the deadline, so the alerts they trigger still have time to go out: a quarter of the
 * deadline, at least 250 ms and at most 10 s (4 s → 1 s, the default 60 s → 10 s). docs/reliability.md says why.
 */
export function alertReserveMs(deadlineMs: number): number {
  return Math.min(10_000, Math.max(250, Math.round(deadlineMs / 4)));
}

/** Kept at the very end for what no step may take: saving state, the last log line, the output. */
export const CLOSING_MS = 100;

export interface RunBudget {
  /** Time kept for the alerts: the checks stop this long before the deadline. */
  reserveMs: number;
  /** Of the deadline, already spent when the run started (the process's start-up, loading the config). */
  spentMs: number;
  /** From the run's start, how long the checks (and a step's `before`) may take. */
  checksMs: number;
  /** Milliseconds left for the after-run steps now, the closing share excluded. */
  timeLeft(): number;
}

/**
 * One run's budget. `startedAt` is performance.now() at the run's start; `deadlineFrom` where the deadline counts from
 * (the cli: 0, the process's start), the run's start by default.
 */
export function runBudget(deadlineMs: number, startedAt: number, deadlineFrom = startedAt): RunBudget {
  const from = Math.min(deadlineFrom, startedAt);
  const reserveMs = alertReserveMs(deadlineMs);
  const spentMs = startedAt - from;
  return {
    reserveMs,
    spentMs,
    checksMs: deadlineMs - reserveMs - spentMs,
    timeLeft: () => from + deadlineMs - CLOSING_MS - performance.now(),
  };
}

/** Said when a step is stopped or skipped because its share of the deadline is used up. */
export class OutOfTime extends Error {
  override name = 'OutOfTime';
}

/**
 * Run `work` for at most `ms`: past that it is told to stop (its signal aborts) and the promise rejects with
 * OutOfTime, whatever `work` is still waiting for. An exception from a callback it started rejects it too.
 */
export async function withinTime<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (ms <= 0) throw new OutOfTime("not run: no time left before the run's deadline");
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new OutOfTime(`stopped: its share of the run's deadline (${formatDuration(ms)}) is used up`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([ownCrashes(() => work(controller.signal)), late]);
  } finally {
    clearTimeout(timer);
  }
}
