// Runs every check at once (up to a concurrency cap), each under its own timeout, the whole set under the deadline.
import { say } from '../i18n/index.js';
import { setMaxListeners } from 'node:events';
import { checkFor } from '../checks/index.js';
import type { ResourceThresholds, RunScope } from '../checks/check.js';
import { ownCrashes } from './crash-scope.js';
import type { CheckConfig } from '../config/schema.js';
import type { CheckOutcome, CheckResult } from '../types.js';
import { round1 } from '../util/time.js';
import { messageOf } from '../util/errors.js';

export interface ExecuteOptions {
  concurrency: number;
  /** Of those, checks that start a program (Check.startsProcess) at once; no further cap when absent. */
  processConcurrency?: number;
  deadlineMs: number;
  /** Checks are stopped this long before the deadline: the time kept for the alerts (docs/reliability.md). */
  reserveMs?: number;
  /** Of the deadline, already spent before the checks started (starting the program, loading the config). */
  spentMs?: number;
  now: Date;
  thresholds: ResourceThresholds;
  /** What each check remembered last run, by check name. */
  previous: (name: string) => Record<string, unknown> | undefined;
  /** Aborted when the whole run must stop now (SIGINT/SIGTERM): every check is stopped as at the deadline. */
  stop?: AbortSignal;
  /**
   * Called once when every check that times a peer over the network (all but those that start a program) has its
   * result: from then on, work on this thread delays no peer's timestamp (docs/checks-timing.md).
   */
  onPeersDone?: () => void;
}

class TimedOut extends Error {}
class DeadlinePassed extends Error {}

/**
 * Results in config order. Never throws and never waits for a check past its timeout: the result is decided at
 * that moment and the check is told to stop through its AbortSignal.
 */
export async function executeChecks(checks: CheckConfig[], options: ExecuteOptions): Promise<CheckResult[]> {
  const deadline = new AbortController();
  // One listener per running check (up to `concurrency`): not a leak, and Node's warning would reach cron's log.
  setMaxListeners(0, deadline.signal);
  const deadlineTimer = setTimeout(
    () => deadline.abort(new DeadlinePassed()),
    options.deadlineMs - (options.reserveMs ?? 0) - (options.spentMs ?? 0),
  );
  const stopNow = () => deadline.abort(new DeadlinePassed());
  if (options.stop?.aborted) stopNow();
  options.stop?.addEventListener('abort', stopNow, { once: true });
  const results: CheckResult[] = new Array(checks.length);
  const run: RunScope = { checks, signal: deadline.signal };
  const startedAt = performance.now();
  let next = 0;
  const processSlots = slots(options.processConcurrency ?? Infinity);
  let peersLeft = checks.filter((check) => !checkFor(check.type).startsProcess).length;
  const peerDone = () => {
    if (--peersLeft === 0) options.onPeersDone?.();
  };
  if (peersLeft === 0) queueMicrotask(() => options.onPeersDone?.());

  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      const check = checks[index]!;
      // A check that starts a program also waits for a process slot (until the deadline, after which runOne says so).
      const startsProcess = checkFor(check.type).startsProcess === true;
      const release = startsProcess ? await processSlots.take(deadline.signal) : undefined;
      // Time spent waiting for a free slot is ours, not the peer's: the report shows it apart (docs/checks-timing.md).
      const queuedMs =
        index >= options.concurrency || release?.waited ? round1(performance.now() - startedAt) : undefined;
      try {
        results[index] = await runOne(check, deadline.signal, options, run, queuedMs);
      } finally {
        release?.();
        if (!startsProcess) peerDone();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, checks.length) }, worker));
  } finally {
    clearTimeout(deadlineTimer);
    options.stop?.removeEventListener('abort', stopNow);
  }
  return results;
}

type Release = (() => void) & { waited?: boolean };

/** A counting semaphore; take() resolves with a release function, or with a no-op once `stop` is aborted. */
function slots(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    take(stop: AbortSignal): Promise<Release> {
      const release: Release = () => {
        const nextInLine = waiting.shift();
        if (nextInLine) nextInLine();
        else free++;
      };
      if (free > 0) {
        free--;
        return Promise.resolve(release);
      }
      if (stop.aborted) return Promise.resolve(() => {});
      return new Promise((resolve) => {
        const granted = () => {
          stop.removeEventListener('abort', gaveUp);
          release.waited = true;
          resolve(release);
        };
        const gaveUp = () => {
          waiting.splice(waiting.indexOf(granted), 1);
          resolve(() => {});
        };
        waiting.push(granted);
        stop.addEventListener('abort', gaveUp, { once: true });
      });
    },
  };
}

async function runOne(
  check: CheckConfig,
  deadline: AbortSignal,
  options: ExecuteOptions,
  run: RunScope,
  queuedMs: number | undefined,
): Promise<CheckResult> {
  const impl = checkFor(check.type);
  const started = performance.now();
  const finish = (outcome: CheckOutcome): CheckResult => ({
    ...outcome,
    ...(queuedMs !== undefined ? { details: { ...outcome.details, queued_ms: queuedMs } } : {}),
    name: check.name,
    type: check.type,
    durationMs: round1(performance.now() - started),
    ...(check.hint ? { hint: check.hint } : {}),
    ...(check.depends_on.length ? { dependsOn: check.depends_on } : {}),
  });

  const deadlineText = say.check.engine.deadline(
    say.duration(options.deadlineMs),
    options.reserveMs ? say.duration(options.reserveMs) : undefined,
  );
  if (deadline.aborted) {
    return finish({ level: 'UNKNOWN', message: say.check.engine.notStarted(deadlineText) });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimedOut()), check.timeout);
  const onDeadline = () => controller.abort(new DeadlinePassed());
  deadline.addEventListener('abort', onDeadline, { once: true });

  // Whichever comes first decides: the check's own answer, or its timeout / the deadline.
  const stopped = new Promise<CheckOutcome>((resolve) => {
    controller.signal.addEventListener(
      'abort',
      () => {
        const byDeadline = controller.signal.reason instanceof DeadlinePassed;
        const message = byDeadline
          ? say.check.engine.noAnswerByDeadline(deadlineText)
          : say.check.engine.noAnswerWithin(say.duration(check.timeout));
        resolve({ level: impl.timeoutLevel, message });
      },
      { once: true },
    );
  });
  const answered = (async (): Promise<CheckOutcome> => {
    try {
      // An exception thrown from a callback the check started (a client library's parser) fails this check only.
      return await ownCrashes(() =>
        impl.run(check as never, {
          signal: controller.signal,
          now: options.now,
          previous: options.previous(check.name),
          thresholds: options.thresholds,
          run,
        }),
      );
    } catch (error) {
      if (controller.signal.aborted) return stopped;
      return { level: 'UNKNOWN', message: say.check.engine.checkFailed(messageOf(error)) };
    }
  })();

  try {
    return finish(await Promise.race([answered, stopped]));
  } finally {
    clearTimeout(timer);
    deadline.removeEventListener('abort', onDeadline);
    // Tell a check that answered to release anything it still holds; one that did not is being stopped anyway.
    if (!controller.signal.aborted) controller.abort(new TimedOut());
  }
}
