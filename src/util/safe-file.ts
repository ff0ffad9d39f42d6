// The one module that writes files: every open refuses a symlink at the final name, temp names are random and O_EXCL,
// modes are set on the descriptor, and a directory that another account could rearrange is refused (docs/files.md).
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { codeOf } from './errors.js';

const { O_WRONLY, O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;
const S_ISVTX = 0o1000;

/** A write refused because the place is not safe: the message names the path and the fix (one line, no stack). */
export class UnsafePathError extends Error {
  readonly code = 'EUNSAFE';
}

const me = (): number => (typeof process.geteuid === 'function' ? process.geteuid() : 0);
const ours = (uid: number) => uid === 0 || uid === me();

/**
 * Can only root (or the account running us) rename or remove names in this directory? A sticky directory owned by
 * root (/tmp) counts: others can add names there but cannot move ours. A root-owned directory its group may write
 * counts too: Ubuntu's /var/log is root:syslog 0775, and refusing it would refuse the default log path (docs/files.md).
 */
function trustedDir(st: Stats): boolean {
  if (!ours(st.uid)) return false;
  if ((st.mode & 0o002) === 0) return true;
  return (st.mode & S_ISVTX) !== 0 && st.uid === 0;
}

function who(st: Stats): string {
  return ours(st.uid) ? 'is writable by every account' : `is owned by uid ${st.uid}`;
}

function unsafeDir(dir: string, st: Stats, target: string): UnsafePathError {
  return new UnsafePathError(
    `${dir} ${who(st)}, so another account could redirect the write of ${target} below it; make it owned by root and not writable by others (chown root:root ${dir} && chmod go-w ${dir}), or choose a place under root-owned directories`,
  );
}

/** Every directory strictly above `dir`, outermost first. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    out.unshift(d);
    if (d === dirname(d)) break;
  }
  return out;
}

const checked = new Set<string>();

/**
 * Refuse `dir` when someone other than root could rename an entry above it, i.e. swap the directory itself for a
 * symlink. `dir` itself may belong to another account (a status page in www-data's directory): its files are then
 * written only through the calls below, which a planted name cannot redirect.
 */
function checkAncestors(dir: string, target: string): void {
  const abs = resolve(dir);
  if (checked.has(abs)) return;
  const real = realpathSync(abs);
  // The literal path (each name lives in the directory before it) and the real one (where the names really are).
  for (const above of new Set([...ancestors(abs), ...ancestors(real)])) {
    const st = statSync(above);
    if (!trustedDir(st)) throw unsafeDir(above, st, target);
  }
  for (let d = abs; d !== dirname(d); d = dirname(d)) {
    const st = lstatSync(d);
    if (st.isSymbolicLink() && !ours(st.uid)) {
      throw new UnsafePathError(
        `${d} is a symbolic link owned by uid ${st.uid}; replace it with a directory owned by root, or point the setting at the real directory`,
      );
    }
  }
  checked.add(abs);
}

/**
 * Create `dir` (and missing parents) with `mode`, set on each new directory itself (the umask does not narrow it),
 * and check that it is a safe place to write `target` (see checkAncestors).
 */
export function ensureDir(dir: string, mode: number, target = dir): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  for (let d = abs; ; d = dirname(d)) {
    const st = statSync(d, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw new UnsafePathError(`${d} is not a directory; ${target} cannot be written below it`);
      break;
    }
    missing.unshift(d);
    if (d === dirname(d)) break;
  }
  if (missing.length > 0) checkAncestors(dirname(missing[0]!), target);
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
      continue; // made at the same moment by another run: checked below like any existing directory
    }
    const fd = openSync(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    try {
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  }
  checkAncestors(abs, target);
}

let pool: Buffer | undefined;
let used = 0;

/** 12 hex digits from /dev/urandom (node:crypto would cost ~2 ms of start-up on the cron path). */
export function randomName(): string {
  if (!pool || used + 6 > pool.length) {
    pool = Buffer.alloc(96);
    used = 0;
    try {
      const fd = openSync('/dev/urandom', O_RDONLY);
      try {
        readSync(fd, pool, 0, pool.length, null);
      } finally {
        closeSync(fd);
      }
    } catch {
      for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(Math.random() * 256);
    }
  }
  const name = pool.toString('hex', used, used + 6);
  used += 6;
  return name;
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const buffer = typeof data === 'string' ? Buffer.from(data) : data;
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done);
}

/** fsync a directory, so a rename or a new name in it survives a power cut. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, O_RDONLY | O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A new file with a random name in `dir` (O_CREAT|O_EXCL|O_NOFOLLOW, so never an existing file or a planted link),
 * holding `data`, mode set with fchmod. Returns its path; the caller renames or links it into place.
 */
export function writeTempFile(
  dir: string,
  stem: string,
  data: string | Uint8Array,
  mode: number,
  durable: boolean,
): string {
  for (let attempt = 0; ; attempt++) {
    const temp = join(dir, `.${stem}.${randomName()}.tmp`);
    let fd: number;
    try {
      fd = openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    } catch (error) {
      // a name someone planted (or, once in 2^48, our own): another name
      if (codeOf(error) === 'EEXIST' && attempt < 5) continue;
      throw error;
    }
    try {
      writeAll(fd, data);
      fchmodSync(fd, mode);
      if (durable) fsyncSync(fd);
      closeSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkQuietly(temp);
      throw error;
    }
    return temp;
  }
}

export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export interface WriteOptions {
  /** Mode of the file (set on the descriptor). */
  mode: number;
  /** Mode of directories created on the way. */
  dirMode?: number;
  /**
   * fsync the file and its directory (default). False for files rewritten on every run (status page, textfile),
   * where a power cut costs at most the last five minutes of a file that is rebuilt on the next run.
   */
  durable?: boolean;
}

/**
 * Replace `path` atomically: readers see the old or the new whole content, never half. A symlink or hard link planted
 * at `path` is replaced as a name; what it pointed to is never opened.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions): void {
  const dir = dirname(resolve(path));
  const durable = options.durable ?? true;
  ensureDir(dir, options.dirMode ?? 0o755, path);
  const temp = writeTempFile(dir, basename(path), data, options.mode, durable);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
  if (durable) syncDir(dir);
}

const symlinkRefused = (path: string) =>
  new UnsafePathError(
    `${path} is a symbolic link, and root never writes through one; remove it (the file is recreated) or point the setting at the real file`,
  );

/**
 * Open `path` for appending (O_APPEND|O_CREAT|O_NOFOLLOW). Only a plain file with one name is accepted: a FIFO, a
 * device or a hard link to someone else's file is refused. A file this call creates gets `mode` with fchmod (the
 * umask does not narrow it); an existing file keeps the mode its owner gave it.
 */
export function openAppend(path: string, options: { mode: number; dirMode?: number; read?: boolean }): number {
  ensureDir(dirname(resolve(path)), options.dirMode ?? 0o755, path);
  const access = options.read ? O_RDWR : O_WRONLY;
  // O_NONBLOCK: a FIFO planted at the name must not hang the run before fstat can refuse it.
  let fd: number;
  try {
    fd = openSync(path, access | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (error) {
    // a FIFO nobody reads (or a device without one) answers ENXIO to a non-blocking open
    if (codeOf(error) === 'ENXIO')
      throw new UnsafePathError(`${path} is not a regular file; remove it or choose another path`);
    if (codeOf(error) === 'ELOOP') throw symlinkRefused(path);
    throw error;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafePathError(`${path} is not a regular file; remove it or choose another path`);
    if (st.nlink > 1)
      throw new UnsafePathError(
        `${path} has ${st.nlink} hard links; a file written as root must have one name (remove it, it is recreated)`,
      );
    if (st.size === 0 && ours(st.uid)) fchmodSync(fd, options.mode);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Read a file the program wrote itself (state, cache, history): no symlink at the final name, a plain file, at most
 * `maxBytes` (a bigger file is an error, not a memory spike). Undefined when it does not exist.
 */
export function readOwnFile(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafePathError(`${path} is not a regular file`);
    if (st.size > maxBytes)
      throw new UnsafePathError(
        `${path} is ${st.size} bytes, more than the ${maxBytes} this program ever writes there`,
      );
    const buffer = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) throw new UnsafePathError(`${path} grew past ${maxBytes} bytes while being read`);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** For a file the program reads back (the config cache): the open descriptor's status, never a link's target's. */
export function openOwnFile(path: string): { fd: number; stat: Stats } {
  const fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  return { fd, stat: fstatSync(fd) };
}
