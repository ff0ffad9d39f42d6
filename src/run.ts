// One run end to end: lock, checks, log lines, then the after-run steps (alerts, history, outputs), state, unlock.
import { hostname as osHostname } from 'node:os';
import { checkFor } from './checks/index.js';
import { configOrigin } from './config/origin.js';
import type { Config, CheckConfig } from './config/schema.js';
import { executeChecks } from './engine/execute.js';
import { onLastWords } from './last-words.js';
import { worst, type Level } from './levels.js';
import { buildReport } from './run-report/build-report.js';
import { runBudget, withinTime, type RunBudget } from './run-budget.js';
import type { BeforeRunContext, RunOptions, RunStep, StepContext } from './run-context.js';
import { logWordFor, openRunLog, type RunLog } from './run-log.js';
import { say } from './i18n/index.js';
import { AFTER_RUN_STEPS } from './run-steps.js';
import { acquireLock, type Lock } from './state/lock.js';
import { NO_ROOM, statePersister } from './state/persist.js';
import { fallbackLockDir, readState, type State } from './state/store.js';
import type { CheckResult, RunReport } from './types.js';
import { codeOf, InterruptedError, messageOf, UsageError } from './util/errors.js';
import { maskDeep } from './util/mask.js';
import { noCheckNamed } from './util/nearest.js';

export interface RunOutcome {
  level: Level;
  report: RunReport;
  results: CheckResult[];
}

export function selectChecks(config: Config, only: string[] | undefined): CheckConfig[] {
  const enabled = config.checks.filter((check) => check.enabled);
  if (!only || only.length === 0) return enabled;
  const names = config.checks.map((check) => check.name);
  for (const name of only) {
    if (!names.includes(name)) throw new UsageError(say.usage.onlyUnknown(noCheckNamed(name, names), names));
  }
  return config.checks.filter((check) => only.includes(check.name));
}

export async function runChecks(options: RunOptions): Promise<RunOutcome> {
  const { config } = options;
  const clock = options.clock ?? (() => new Date());
  const host = options.host ?? osHostname();
  const checks = selectChecks(config, options.only);
  const started = clock();
  const startedAt = performance.now();
  const { lock, stateWritable } = takeLock(options, started);
  const log = openRunLog(config.log_file, options.onProblem, clock);
  // An internal error ends the process at once (cli.ts); the log still says so and the lock is freed.
  const forget = onLastWords((reason) => {
    log.write('ERROR', say.run.internalError(reason));
    log.close();
    lock?.release();
  });
  const budget = runBudget(config.deadline, startedAt, options.deadlineFrom);
  // On the run's clock; what start-up spent of the deadline is gone for the steps too.
  const deadlineAt = started.getTime() + config.deadline - budget.spentMs;
  try {
    logStart(log, config, checks.length, host);
    const state = loadState(options, log);
    const persist = statePersister(config.state_dir, log, options.onProblem);
    const beforeSteps = startBeforeSteps({ config, options, log, now: started, deadlineAt }, budget);
    const raw = await runTheChecks(checks, options, state, started, budget);
    stopIfInterrupted(options, log);
    const results = raw.map((result) => maskDeep(result));
    for (const result of results)
      log.write(logWordFor(result.level), `${result.name}: ${result.logMessage ?? result.message}`);
    options.onDecided?.(results, worst(results.map((r) => r.level)));

    const report = buildReport(results, { started, durationMs: performance.now() - startedAt, host });
    const ctx: StepContext = {
      config,
      options,
      results,
      report,
      state: rememberChecks(state, results),
      stateWritable,
      ...(stateWritable ? { persist } : {}),
      covered: new Set(checks.map((check) => check.name)),
      log,
      now: started,
      deadlineAt,
    };
    await runAfterSteps(ctx, beforeSteps, budget);
    if (stateWritable) persist(ctx.state);

    const level = worst(results.map((r) => r.level));
    const durationMs = Math.round(performance.now() - startedAt);
    const finalReport = { ...report, duration_ms: Math.round((performance.now() - startedAt) * 10) / 10 };
    log.write('INFO', say.run.finished(level, say.run.counts(report.summary), durationMs));
    return { level, report: finalReport, results };
  } finally {
    forget();
    log.close();
    lock?.release();
  }
}

/**
 * The run's lock in state_dir. A full or read-only state_dir: the lock is taken in the second place (docs/files.md),
 * so alerts are still sent, once. A state_dir that cannot be used otherwise costs the alert state, not the run.
 */
function takeLock(options: RunOptions, started: Date): { lock?: Lock; stateWritable: boolean } {
  const { config } = options;
  const staleAfterMs = config.deadline * 2 + 60_000;
  try {
    return { lock: acquireLock(config.state_dir, staleAfterMs, started.getTime()), stateWritable: true };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (NO_ROOM.has(codeOf(error) ?? '')) {
      try {
        return {
          lock: acquireLock(fallbackLockDir(config.state_dir), staleAfterMs, started.getTime()),
          stateWritable: true,
        };
      } catch (second) {
        if (second instanceof UsageError) throw second;
      }
    }
    options.onProblem(say.run.stateDirUnusable(config.state_dir, messageOf(error)));
    return { stateWritable: false };
  }
}

function logStart(log: RunLog, config: Config, count: number, host: string): void {
  log.write('INFO', say.run.rule);
  log.write('INFO', `${say.run.started(count, host)}${configOrigin(config)}`);
}

/** The saved state; a state file that cannot be read is said in the log and on stderr, and the run goes on afresh. */
function loadState(options: RunOptions, log: RunLog): State {
  const { state, problem } = readState(options.config.state_dir);
  if (problem) {
    log.write('ERROR', problem);
    options.onProblem(problem);
  }
  return state;
}

/**
 * Each step's optional `before` (a heartbeat's /start), started alongside the checks; a failure is only logged. It is
 * stopped with the checks at the latest, leaving the alerts their reserve, and only its own step waits for it: a
 * /start that hangs never holds the alerts (docs/reliability.md).
 */
function startBeforeSteps(early: BeforeRunContext, budget: RunBudget): Map<RunStep, Promise<unknown>> {
  const started = new Map<RunStep, Promise<unknown>>();
  for (const step of AFTER_RUN_STEPS) {
    if (!step.before) continue;
    const work = withinTime(budget.checksMs, (signal) => step.before!({ ...early, signal }));
    started.set(
      step,
      work.catch((error: unknown) => early.log.write('ERROR', say.run.stepFailed(step.name, messageOf(error)))),
    );
  }
  return started;
}

/** Import the after-run steps' modules, once per process. */
let stepsLoading = false;
function loadSteps(): void {
  if (stepsLoading) return;
  stepsLoading = true;
  for (const step of AFTER_RUN_STEPS) step.load?.().catch(() => {});
}

async function runTheChecks(
  checks: CheckConfig[],
  options: RunOptions,
  state: State,
  started: Date,
  budget: RunBudget,
): Promise<CheckResult[]> {
  const { config } = options;
  const checksDone = executeChecks(checks, {
    concurrency: config.concurrency,
    processConcurrency: config.process_concurrency,
    deadlineMs: config.deadline,
    reserveMs: budget.reserveMs,
    spentMs: budget.spentMs,
    now: started,
    thresholds: config.thresholds,
    previous: (name) => state.checks[name]?.memory,
    ...(options.interrupted ? { stop: options.interrupted } : {}),
    // The steps that follow are imported while checks still wait, so their start-up costs little wall time
    // (docs/performance.md) — once no peer is being timed, or once the peers still out have taken 15 ms: compiled while
    // a local peer answers in a millisecond, they would be charged to it (docs/checks-timing.md); a peer that needs
    // longer is a network peer whose time a few ms of ours do not distort. A failed import shows again when it runs.
    onPeersDone: loadSteps,
  });
  // A probe worker's clock needs a quiet host, however long its peer takes: then only onPeersDone imports them.
  const slowPeers = checks.some((check) => checkFor(check.type).timedInWorker) ? undefined : setTimeout(loadSteps, 15);
  const stopTimer = () => clearTimeout(slowPeers);
  void checksDone.then(stopTimer, stopTimer);
  return checksDone;
}

/** Half a run proves nothing: no alerts, no history, no state change; the lock is released by the caller. */
function stopIfInterrupted(options: RunOptions, log: RunLog): void {
  if (!options.interrupted?.aborted) return;
  const why = say.run.interrupted(String(options.interrupted.reason));
  log.write('ERROR', say.run.interruptedLine(why));
  throw new InterruptedError(why);
}

/**
 * The after-run steps in order, alerts first; one failing step (an unwritable status dir, a broken channel) never
 * takes the others down. Each gets what is left of the deadline and is stopped when that is used up, so a hanging
 * heartbeat or status-page write costs only itself (docs/reliability.md).
 */
async function runAfterSteps(
  ctx: StepContext,
  before: Map<RunStep, Promise<unknown>>,
  budget: RunBudget,
): Promise<void> {
  for (const step of AFTER_RUN_STEPS) {
    if (!step.wanted(ctx)) continue;
    try {
      const changed = await withinTime(budget.timeLeft(), async (signal) => {
        await before.get(step);
        return step.run({ ...ctx, signal });
      });
      if (changed) ctx.state = changed;
    } catch (error) {
      ctx.log.write('ERROR', say.run.stepFailed(step.name, messageOf(error)));
    }
  }
}

/** Keep what each check asked to remember; checks not run this time keep their old memory. */
function rememberChecks(state: State, results: CheckResult[]): State {
  const checks = { ...state.checks };
  for (const result of results) {
    if (result.remember) checks[result.name] = { ...checks[result.name], memory: result.remember };
  }
  return { ...state, checks };
}
