// One run end to end: lock, checks, log lines, then the after-run steps (alerts, history, outputs), state, unlock.
import { hostname as osHostname } from 'node:os';
import { DEFAULT_CONFIG_PATH } from './config/defaults.js';
import type { Config, CheckConfig } from './config/schema.js';
import { executeChecks } from './engine/execute.js';
import { worst, type Level } from './levels.js';
import { onLastWords } from './last-words.js';
import { buildReport } from './outputs/json.js';
import { logWordFor, openRunLog, type RunLog } from './outputs/log-file.js';
import { countsText } from './outputs/summary-line.js';
import { alertReserveMs, CLOSING_MS, withinTime } from './run-budget.js';
import { AFTER_RUN_STEPS } from './run-steps.js';
import { acquireLock, readState, writeState, type Lock, type State } from './state/store.js';
import type { CheckResult, RunReport } from './types.js';
import { UsageError } from './util/errors.js';
import { maskDeep } from './util/mask.js';
import { nearest } from './util/nearest.js';

export interface RunOptions {
  config: Config;
  /** `--only a,b`: run just these checks. */
  only?: string[];
  /** false with `--no-alert`. */
  alert: boolean;
  /** The program's own problems (log not writable, state corrupt): the cli prints them on stderr. */
  onProblem: (message: string) => void;
  clock?: () => Date;
  host?: string;
  /** Aborted when the operator or systemd stops the run (SIGINT/SIGTERM). */
  interrupted?: AbortSignal;
  /** Told as soon as every check is decided, before the after-run steps (the cli's watchdog then knows the level). */
  onDecided?: (results: CheckResult[], level: Level) => void;
  /** performance.now() from which the deadline counts: the cli passes 0, the process's start; default the run's start. */
  deadlineFrom?: number;
}

export interface StepContext {
  config: Config;
  options: RunOptions;
  results: CheckResult[];
  report: RunReport;
  /** State as it will be saved; a step returns a new one to change it. */
  state: State;
  /** False when state_dir cannot be written: anything that must be remembered (alerts sent) cannot be. */
  stateWritable: boolean;
  /** Names of the checks this run covered (all enabled ones, or `--only`). */
  covered: Set<string>;
  log: RunLog;
  now: Date;
  /** Epoch ms by which the whole run must be done. */
  deadlineAt: number;
  /** Aborted when this step's share of the deadline is used up (docs/reliability.md): stop waiting, give up. */
  signal?: AbortSignal;
}

/** What a step may use before the checks run. */
export type BeforeRunContext = Pick<StepContext, 'config' | 'options' | 'log' | 'now' | 'deadlineAt' | 'signal'>;

export interface RunStep {
  name: string;
  /** Optional: started as the run begins, alongside the checks, and awaited before any step runs (a heartbeat's /start). */
  before?(ctx: BeforeRunContext): Promise<void>;
  /** Optional: imports the step's module; called once the checks are under way, so the import overlaps their wait. */
  load?(): Promise<unknown>;
  wanted(ctx: StepContext): boolean;
  run(ctx: StepContext): Promise<State | void>;
}

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
    if (!names.includes(name)) {
      const guess = nearest(name, names);
      throw new UsageError(`--only: no check named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; checks: ${names.join(', ')}`);
    }
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

  let lock: Lock | undefined;
  let stateWritable = true;
  try {
    lock = acquireLock(config.state_dir, config.deadline * 2 + 60_000, started.getTime());
  } catch (error) {
    if (error instanceof UsageError) throw error;
    stateWritable = false;
    options.onProblem(`cannot use state_dir ${config.state_dir}: ${(error as Error).message} (run as root, or set state_dir to a writable directory); alert state will not be kept`);
  }

  const log = openRunLog(config.log_file, options.onProblem, clock);
  // An internal error ends the process at once (cli.ts); the log still says so and the lock is freed.
  const forget = onLastWords((reason) => {
    log.write('ERROR', `Health check stopped by an internal error: ${reason}`);
    log.close();
    lock?.release();
  });
  // The run's own clock for its budget (options.clock may be a test's fixed date): docs/reliability.md.
  const deadlineFrom = Math.min(options.deadlineFrom ?? startedAt, startedAt);
  const timeLeft = () => deadlineFrom + config.deadline - CLOSING_MS - performance.now();
  const reserveMs = alertReserveMs(config.deadline);
  const spentMs = startedAt - deadlineFrom;
  try {
    log.write('INFO', '========================================');
    const origin = config.source ? '' : ` with built-in defaults (no config file at ${DEFAULT_CONFIG_PATH})`;
    log.write('INFO', `Health check started (${checks.length} check${checks.length === 1 ? "" : "s"}, host ${host})${origin}`);

    const { state, problem } = readState(config.state_dir);
    if (problem) {
      log.write('ERROR', problem);
      options.onProblem(problem);
    }

    // What starts with the checks (a heartbeat's /start) stops with them at the latest, leaving the alerts their reserve;
    // only its own step waits for it, so a /start that hangs never holds the alerts.
    const early: BeforeRunContext = { config, options, log, now: started, deadlineAt: started.getTime() + config.deadline };
    const beforeSteps = new Map(
      AFTER_RUN_STEPS.map((step) => [
        step,
        step.before
          ? withinTime(config.deadline - reserveMs - spentMs, (signal) => step.before!({ ...early, signal })).catch((error: Error) => log.write('ERROR', `${step.name}: ${error.message}`))
          : undefined,
      ]),
    );
    const checksDone = executeChecks(checks, {
      concurrency: config.concurrency,
      processConcurrency: config.process_concurrency,
      deadlineMs: config.deadline,
      reserveMs,
      spentMs,
      now: started,
      thresholds: config.thresholds,
      previous: (name) => state.checks[name]?.memory,
      ...(options.interrupted ? { stop: options.interrupted } : {}),
    });
    // Every check has started; while they wait on processes and the network, the steps that follow are imported,
    // so their start-up costs no wall time (README "Performance"). A failed import shows again when the step runs.
    for (const step of AFTER_RUN_STEPS) step.load?.().catch(() => {});
    const raw = await checksDone;
    if (options.interrupted?.aborted) {
      // Half a run proves nothing: no alerts, no history, no state change; the lock is released below.
      const why = `interrupted by ${String(options.interrupted.reason)}: checks stopped, nothing alerted or recorded`;
      log.write('ERROR', `Health check ${why}`);
      throw new UsageError(why);
    }
    const results = raw.map((result) => maskDeep(result));
    for (const result of results) log.write(logWordFor(result.level), `${result.name}: ${result.logMessage ?? result.message}`);
    options.onDecided?.(results, worst(results.map((r) => r.level)));

    let nextState: State = rememberChecks(state, results);
    const report = buildReport(results, { started, durationMs: performance.now() - startedAt, host });
    const ctx: StepContext = {
      config,
      options,
      results,
      report,
      state: nextState,
      stateWritable,
      covered: new Set(checks.map((check) => check.name)),
      log,
      now: started,
      deadlineAt: started.getTime() + config.deadline,
    };
    // In order, alerts first; each step gets what is left of the deadline and is stopped when that is used up, so a
    // hanging heartbeat or status-page write costs only itself (docs/reliability.md).
    for (const step of AFTER_RUN_STEPS) {
      if (!step.wanted(ctx)) continue;
      try {
        const changed = await withinTime(timeLeft(), async (signal) => {
          await beforeSteps.get(step);
          return step.run({ ...ctx, signal });
        });
        if (changed) ctx.state = nextState = changed;
      } catch (error) {
        // One failing step (an unwritable status dir, a broken channel) never takes the others down.
        log.write('ERROR', `${step.name}: ${(error as Error).message}`);
      }
    }

    if (stateWritable) {
      try {
        writeState(config.state_dir, nextState);
      } catch (error) {
        const message = `cannot save state in ${config.state_dir}: ${(error as Error).message}`;
        log.write('ERROR', message);
        options.onProblem(message);
      }
    }
    const level = worst(results.map((r) => r.level));
    const durationMs = Math.round(performance.now() - startedAt);
    const finalReport = { ...report, duration_ms: Math.round((performance.now() - startedAt) * 10) / 10 };
    log.write('INFO', `Health check finished: ${level} (${countsText(report.summary)}) in ${durationMs} ms`);
    return { level, report: finalReport, results };
  } finally {
    forget();
    log.close();
    lock?.release();
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
