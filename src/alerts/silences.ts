// `silence` entries in state.json: added and cleared under the run lock (so a run in progress never loses one), and listed.
import { LockHeld } from '../state/lock.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireLock, type Lock } from '../state/lock.js';
import { readState, writeState } from '../state/store.js';
import { codeOf, messageOf, UsageError } from '../util/errors.js';
import { muteLines } from './mute-lines.js';
import { activeMutes, type Mute } from './mutes.js';
import type { MaintenanceWindow } from './schema.js';
import { readSilences, type Silence } from './state.js';

export interface SilenceStore {
  stateDir: string;
  /** The config's deadline: how long a run may hold the lock, so how long to wait for it. */
  deadlineMs: number;
  /** Told about a corrupt state file that is being replaced. */
  onProblem?: (message: string) => void;
}

async function lockState(store: SilenceStore): Promise<Lock> {
  const giveUpAt = Date.now() + store.deadlineMs + 5000;
  for (;;) {
    try {
      return acquireLock(store.stateDir, store.deadlineMs * 2 + 60_000);
    } catch (error) {
      if (error instanceof UsageError) {
        // A run holds the lock; it ends by its deadline. Wait for it rather than lose the silence to its state write.
        if (error instanceof LockHeld && Date.now() < giveUpAt) {
          await sleep(200);
          continue;
        }
        throw error;
      }
      const code = codeOf(error);
      const fix =
        code === 'EACCES' || code === 'EPERM' ? ' (run as root, or set state_dir to a writable directory)' : '';
      throw new UsageError(`cannot write state_dir ${store.stateDir}: ${messageOf(error)}${fix}`);
    }
  }
}

/** Change the silences under the lock; ended silences are dropped on the way. Returns the silences now in force. */
export async function changeSilences(
  store: SilenceStore,
  change: (active: Silence[]) => Silence[],
  now = new Date(),
): Promise<Silence[]> {
  const lock = await lockState(store);
  try {
    const { state, problem } = readState(store.stateDir);
    if (problem) store.onProblem?.(problem);
    const active = readSilences(state).filter((silence) => Date.parse(silence.until) > now.getTime());
    const silences = change(active);
    try {
      writeState(store.stateDir, { ...state, silences });
    } catch (error) {
      throw new UsageError(
        `cannot save ${store.stateDir}/state.json: ${messageOf(error)} (run as root, or set state_dir to a writable directory)`,
      );
    }
    return silences;
  } finally {
    lock.release();
  }
}

export function addSilence(
  store: SilenceStore,
  silence: { checks: string[]; forMs: number; reason?: string; by?: string },
  now = new Date(),
): Promise<Silence[]> {
  return changeSilences(
    store,
    (active) => [
      ...active,
      {
        id: Math.max(0, ...active.map((s) => s.id)) + 1,
        checks: silence.checks,
        until: new Date(now.getTime() + silence.forMs).toISOString(),
        created: now.toISOString(),
        ...(silence.reason ? { reason: silence.reason } : {}),
        ...(silence.by ? { by: silence.by } : {}),
      },
    ],
    now,
  );
}

/** Silences and maintenance windows in force now, read without the lock (a read never needs it). */
export function currentMutes(stateDir: string, windows: readonly MaintenanceWindow[], now = new Date()): Mute[] {
  const { state } = readState(stateDir);
  return activeMutes(readSilences(state), windows, now).sort((a, b) => a.until.getTime() - b.until.getTime());
}

/** Lines for the terminal after a run: what is muted now (empty when nothing is). */
export function mutesInForceText(stateDir: string, windows: readonly MaintenanceWindow[], now = new Date()): string {
  return muteLines(currentMutes(stateDir, windows, now), now);
}
