// The run lock, state_dir/run.lock: one run at a time, and a lock left by a killed run taken over by exactly one.
//
// Taking a free lock: a private file holding "pid\ntime\n" is hard-linked to run.lock (link() fails if it exists, and
// no one ever sees the lock empty). Taking over a stale one (its process is gone, or it is older than a run can last):
// the taker first creates run.lock.takeover-<identity of that stale file> with O_EXCL — only one process can — then
// checks run.lock is still that very file and renames its own over it. So twenty runs that find the same stale lock
// make one holder; the others find a live holder and exit 3. Why not proper-lockfile: its stale takeover is rmdir +
// mkdir, which lets two processes hold the lock (its issue #121), and it keeps a timer refreshing the lock's mtime.
// See docs/files.md.
import { say } from '../i18n/index.js';
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { codeOf, UsageError } from '../util/errors.js';
import { ensureDir, unlinkQuietly, writeTempFile } from '../util/safe-file.js';

/** Another run holds the lock now (exit 3); `silence` waits for it to finish instead (src/alerts/silences.ts). */
export class LockHeld extends UsageError {}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

export interface Lock {
  release(): void;
}

export const LOCK_FILE = 'run.lock';
/** A takeover claim with no pid written yet is a taker between two system calls: young for this long. */
const UNWRITTEN_CLAIM_MS = 5000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

interface Holder {
  pid: number;
  /** Inode and modification time: which file this is, so a takeover replaces only the one judged stale. */
  id: string;
  ageMs: number;
}

const identity = (st: { ino: bigint; mtimeNs: bigint }) => `${st.ino}-${st.mtimeNs}`;

/** Who holds `path` (its first line is a pid); undefined when it is gone. */
function readHolder(path: string, now: number): Holder | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    const buffer = Buffer.alloc(128);
    const n = st.isFile() ? readSync(fd, buffer, 0, buffer.length, 0) : 0;
    const pid = Number(buffer.toString('utf8', 0, n).split('\n')[0] || NaN);
    return { pid, id: identity(st), ageMs: now - Number(st.mtimeMs) };
  } finally {
    closeSync(fd);
  }
}

function currentId(path: string): string | undefined {
  const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  return st ? identity(st) : undefined;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number) => Atomics.wait(pause, 0, 0, ms);

type Takeover = 'held' | 'busy' | 'changed';

/** Replace the stale lock `stale` with our file `temp`, unless another taker is at it or it changed meanwhile. */
function takeOver(path: string, temp: string, stale: Holder, staleAfterMs: number, now: number): Takeover {
  let claim = `${path}.takeover-${stale.id}`;
  // A taker killed between its two steps leaves its claim behind: the next level claims that claim, and so on.
  for (let level = 0; level < 4; level++) {
    let fd: number;
    try {
      fd = openSync(claim, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
      const other = readHolder(claim, now);
      if (!other) return 'changed'; // the taker finished and cleaned up: look at the lock again
      const young = Number.isNaN(other.pid)
        ? other.ageMs < UNWRITTEN_CLAIM_MS
        : processAlive(other.pid) && other.ageMs < staleAfterMs;
      if (young) return 'busy';
      claim = `${claim}.${other.id}`;
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    // Only the holder of this claim may replace the stale file, so if run.lock is still it, it stays it until we do.
    if (currentId(path) !== stale.id) {
      unlinkQuietly(claim);
      return 'changed';
    }
    renameSync(temp, path);
    removeClaims(path);
    return 'held';
  }
  return 'busy';
}

/** Claims are only needed while a takeover is under way; the one who took the lock removes them all. */
function removeClaims(path: string): void {
  const prefix = `${basename(path)}.takeover-`;
  for (const name of readdirSync(dirname(path))) if (name.startsWith(prefix)) unlinkQuietly(join(dirname(path), name));
}

/**
 * Take state_dir/run.lock. A lock whose process is gone, or older than `staleAfterMs` (a run is bounded by its
 * deadline, so an older lock is a leftover whose pid was reused), is stale and taken over. Another run holding it is
 * a UsageError (exit 3).
 */
export function acquireLock(stateDir: string, staleAfterMs: number, now = Date.now()): Lock {
  const path = join(stateDir, LOCK_FILE);
  ensureDir(stateDir, 0o750, path);
  const temp = writeTempFile(stateDir, LOCK_FILE, `${process.pid}\n${new Date(now).toISOString()}\n`, 0o644, false);
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        linkSync(temp, path);
        return heldLock(path);
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const holder = readHolder(path, now);
      if (!holder) continue; // released between our two calls: try again
      if (processAlive(holder.pid) && holder.ageMs < staleAfterMs) {
        throw new LockHeld(say.state.lockHeld(holder.pid, path, Math.round(Math.max(0, holder.ageMs) / 1000)));
      }
      const outcome = takeOver(path, temp, holder, staleAfterMs, now);
      if (outcome === 'held') return heldLock(path);
      if (outcome === 'busy') sleepMs(5); // another run is taking it over: in a moment it holds it (or died doing so)
    }
    throw new UsageError(say.state.lockContended(path));
  } finally {
    unlinkQuietly(temp);
  }
}

/** Release removes the lock only while it is still ours (a run judged stale and taken over leaves the new one be). */
function heldLock(path: string): Lock {
  const mine = currentId(path);
  return {
    release: () => {
      if (currentId(path) === mine) unlinkQuietly(path);
    },
  };
}
