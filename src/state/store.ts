// The state kept between runs: state_dir/state.json (replaced atomically, fsync'd), with a second copy under
// /run/neuronova when state_dir cannot be written (disk full, read-only), so what was sent is still remembered.
// The run lock lives in lock.ts.
import { say } from '../i18n/index.js';
import { join } from 'node:path';
import { messageOf } from '../util/errors.js';
import { quickHash } from '../util/quick-hash.js';
import { readOwnFile, unlinkQuietly, writeFileAtomic } from '../util/safe-file.js';

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

/** Far above any state the program writes (100 queued messages per channel); a bigger file is not ours. */
const MAX_STATE_BYTES = 16 << 20;
/** Where the second copy goes: a tmpfs on most systems, so another filesystem than state_dir's (docs/files.md). */
export const FALLBACK_DIR = '/run/neuronova';

export function statePath(stateDir: string): string {
  return join(stateDir, 'state.json');
}

/** Where the run lock goes while state_dir has no room (or is read-only): beside the second copy. */
export function fallbackLockDir(stateDir: string, fallbackDir = FALLBACK_DIR): string {
  return join(fallbackDir, `lock-${quickHash(stateDir).slice(0, 16)}`);
}

/** The second copy for this state_dir: one file per state_dir, named by a hash of its path. */
export function fallbackPath(stateDir: string, fallbackDir = FALLBACK_DIR): string {
  return join(fallbackDir, `state-${quickHash(stateDir).slice(0, 16)}.json`);
}

/**
 * Read state.json. A missing file is a first run; a corrupt or truncated one is reported through `problem`
 * and replaced by an empty state on the next write, so it never stops a run.
 */
export function readState(
  stateDir: string,
  fallbackDir = FALLBACK_DIR,
): { state: State; problem?: string; fromFallback?: string } {
  const primary = readStateFile(statePath(stateDir));
  const fallback = readStateFile(fallbackPath(stateDir, fallbackDir));
  // The copy in /run is written only when state_dir could not be: when it is newer, it is what the last runs did.
  if (fallback.state && fallback.state.state_dir === stateDir && seqOf(fallback.state) > seqOf(primary.state)) {
    return { state: fallback.state, fromFallback: fallbackPath(stateDir, fallbackDir) };
  }
  return primary.state
    ? { state: primary.state, ...(primary.problem ? { problem: primary.problem } : {}) }
    : { state: emptyState(), ...(primary.problem ? { problem: primary.problem } : {}) };
}

const seqOf = (state: State | undefined) => (state && typeof state.seq === 'number' ? state.seq : -1);

function readStateFile(path: string): { state?: State; problem?: string } {
  let text: string | undefined;
  try {
    text = readOwnFile(path, MAX_STATE_BYTES);
  } catch (error) {
    return { problem: say.state.cannotRead(path, messageOf(error)) };
  }
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as Partial<State>;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.checks !== 'object' || parsed.checks === null) {
      throw new Error('not a state object');
    }
    return { state: { ...parsed, version: STATE_VERSION, checks: parsed.checks } as State };
  } catch (error) {
    return { problem: say.state.corrupt(path, messageOf(error)) };
  }
}

/** state.json, replaced atomically and fsync'd (file and directory) before this returns. */
export function writeState(stateDir: string, state: State): void {
  writeFileAtomic(statePath(stateDir), JSON.stringify(state, null, 1) + '\n', { mode: 0o640, dirMode: 0o750 });
}

/** The number of this process's last save: a run saves several times (docs/files.md), each one newer. */
let lastSeq = -1;

export type SaveResult = { saved: 'state_dir' } | { saved: 'fallback' | 'nowhere'; error: string; fallback: string };

/**
 * Save the state where it can be: state_dir, else the second copy in /run/neuronova (same safety, 0600). Each save
 * numbers the state (`seq`), so a read takes the newer of the two. A successful save in state_dir removes the copy.
 */
export function saveState(
  stateDir: string,
  state: State,
  /** What to save in the second place instead (the run adds a note that the problem was told). */
  forFallback: (reason: string) => State = () => state,
  fallbackDir = FALLBACK_DIR,
): SaveResult {
  lastSeq = Math.max(lastSeq, seqOf(state)) + 1;
  const seq = lastSeq;
  const fallback = fallbackPath(stateDir, fallbackDir);
  try {
    writeState(stateDir, { ...state, seq });
    unlinkQuietly(fallback);
    return { saved: 'state_dir' };
  } catch (error) {
    const reason = messageOf(error);
    try {
      writeFileAtomic(fallback, JSON.stringify({ ...forFallback(reason), seq, state_dir: stateDir }) + '\n', {
        mode: 0o600,
        dirMode: 0o700,
      });
      return { saved: 'fallback', error: reason, fallback };
    } catch (second) {
      return { saved: 'nowhere', error: `${reason}; and ${messageOf(second)}`, fallback };
    }
  }
}
