// The state kept between runs in state_dir: state.json (atomic writes) and the run lock.
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { codeOf, messageOf, UsageError } from '../util/errors.js';

export const STATE_VERSION = 1;

/** Per-check state. Alerting adds its own fields here; unknown fields are kept as they are. */
export interface CheckState {
  /** What the check itself asked to remember (systemd restarts). */
  memory?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface State {
  version: number;
  checks: Record<string, CheckState>;
  [section: string]: unknown;
}

export const emptyState = (): State => ({ version: STATE_VERSION, checks: {} });

export function statePath(stateDir: string): string {
  return join(stateDir, 'state.json');
}

/**
 * Read state.json. A missing file is a first run; a corrupt or truncated one is reported through `problem`
 * and replaced by an empty state on the next write, so it never stops a run.
 */
export function readState(stateDir: string): { state: State; problem?: string } {
  const path = statePath(stateDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return { state: emptyState() };
    return { state: emptyState(), problem: `cannot read ${path}: ${messageOf(error)}` };
  }
  try {
    const parsed = JSON.parse(text) as Partial<State>;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.checks !== 'object' || parsed.checks === null) {
      throw new Error('not a state object');
    }
    return { state: { ...parsed, version: STATE_VERSION, checks: parsed.checks } as State };
  } catch (error) {
    return { state: emptyState(), problem: `state file ${path} was corrupt (${messageOf(error)}); starting afresh` };
  }
}

export function writeState(stateDir: string, state: State): void {
  writeFileAtomic(statePath(stateDir), JSON.stringify(state, null, 1) + '\n', 0o640);
}

export interface Lock {
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Create `path` with `content` in one step, failing with EEXIST when it exists: the content is written to a private
 * file first and hard-linked into place, so no other run ever sees the lock file empty (and mistakes it for stale).
 */
function createWithContent(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o644 });
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = codeOf(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // a filesystem without hard links: O_EXCL create, then write (a tiny window where the file is empty)
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, content);
    closeSync(fd);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Take state_dir/run.lock (O_EXCL). A lock whose process is gone, or older than `staleAfterMs` (a run is bounded
 * by its deadline, so an older lock is a leftover whose pid was reused), is stale and taken over.
 */
export function acquireLock(stateDir: string, staleAfterMs: number, now = Date.now()): Lock {
  mkdirSync(stateDir, { recursive: true, mode: 0o750 });
  const path = join(stateDir, 'run.lock');
  const content = `${process.pid}\n${new Date(now).toISOString()}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createWithContent(path, content);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    let holder = NaN;
    let age = 0;
    try {
      holder = Number(readFileSync(path, 'utf8').split('\n')[0]);
      age = now - statSync(path).mtimeMs;
    } catch {
      continue; // released between our two calls: try again
    }
    if (Number.isInteger(holder) && holder > 0 && processAlive(holder) && age < staleAfterMs) {
      throw new UsageError(
        `another run (pid ${holder}) holds ${path} since ${Math.round(age / 1000)}s ago; wait for it to finish, or delete the file if no run is going on`,
      );
    }
    rmSync(path, { force: true }); // stale: its run was killed
  }
  throw new UsageError(`cannot take the lock ${path}; another run keeps taking it`);
}
