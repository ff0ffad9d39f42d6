// The types a run hands its steps (options, the context before and after the checks, a step): types only, so
// run.ts, run-steps.ts and every step can import them without importing each other.
import type { Config } from './config/schema.js';
import type { Level } from './levels.js';
import type { RunLog } from './run-log.js';
import type { State } from './state/store.js';
import type { CheckResult, RunReport } from './types.js';

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
  /**
   * Save this state now, fsync'd, in state_dir or else in its second place (docs/files.md); false when it could be
   * saved nowhere. The alert step calls it the moment a channel accepts a message. The run saves at its end anyway.
   */
  persist?: (state: State) => boolean;
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
  /** Optional: started as the run begins, alongside the checks, and awaited before this step runs (a heartbeat's /start). */
  before?(ctx: BeforeRunContext): Promise<void>;
  /** Optional: imports the step's module; called once the checks are under way, so the import overlaps their wait. */
  load?(): Promise<unknown>;
  wanted(ctx: StepContext): boolean;
  // biome-ignore lint/suspicious/noConfusingVoidType: a step resolves to nothing, or to the State it changed
  run(ctx: StepContext): Promise<State | void>;
}
