// Finds the files `log_sources` names: live logs and their rotated copies, each proven to lie inside its source.
// Every path is resolved with realpath, the way the kernel will open it: a symlink or `..` that leads out is refused.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expandGlob, splitPattern } from './glob.js';
import { isRotatedCopyOf, liveNameOf } from './rotation.js';

export interface FileInfo {
  /** Real path (no symlink, no `..`). */
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

export interface LiveLog extends FileInfo {
  /** Rotated copies next to it, oldest name last (`.1`, `.2.gz`, …), all regular files inside the source. */
  rotated: FileInfo[];
  /** True when only rotated copies were found (the live log was renamed or removed). */
  missing?: boolean;
}

export interface Refused {
  path: string;
  reason: string;
}

export interface LogSources {
  logs: LiveLog[];
  refused: Refused[];
  /** Patterns that matched no file, with why when known. */
  unmatched: { pattern: string; reason: string }[];
}

function info(path: string, stats: Stats): FileInfo {
  return { path, size: stats.size, mtimeMs: stats.mtimeMs, dev: stats.dev, ino: stats.ino };
}

export function isInside(path: string, root: string): boolean {
  return path.startsWith(root === '/' ? '/' : `${root}/`) && path !== root;
}

/** Patterns are absolute, or relative to `cwd` (joined as written: realpath settles any `..`). */
export function discoverLogs(patterns: readonly string[], cwd: string = process.cwd()): LogSources {
  const live = new Map<string, Stats>();
  // Rotated-looking files a glob matched directly (`/var/log/app/*`): copies, claimed by their live log if it exists.
  const strays: string[] = [];
  const refused = new Map<string, string>();
  const outside = new Map<string, { match: string; root: string }>();
  const unmatched: { pattern: string; reason: string }[] = [];

  for (const raw of patterns) {
    const pattern = raw.startsWith('/') ? raw : `${cwd}/${raw}`;
    const { fixedDir, globbed } = splitPattern(pattern);
    let root: string;
    try {
      root = realpathSync(fixedDir);
    } catch {
      unmatched.push({ pattern: raw, reason: `${fixedDir} does not exist` });
      continue;
    }
    const matches = expandGlob(pattern);
    if (matches.length === 0) unmatched.push({ pattern: raw, reason: 'no file matches' });
    for (const match of matches) {
      let real: string;
      let stats: Stats;
      try {
        real = realpathSync(match);
        stats = statSync(real);
      } catch {
        continue; // removed while we looked
      }
      if (!isInside(real, root)) {
        // Keyed by where it leads, so two patterns reaching the same file through a link report it once.
        if (!outside.has(real)) outside.set(real, { match, root });
        continue;
      }
      // A file named without wildcards is a live log whatever its name; a glob's rotated-looking matches are copies.
      if (globbed && liveNameOf(basename(real)) !== undefined) strays.push(real);
      else if (!live.has(real)) live.set(real, stats);
    }
  }

  // A link out of one source may lead into another one, where its target is a live log in its own right.
  for (const [real, { match, root }] of outside) {
    if (!live.has(real))
      refused.set(match, `leads outside ${root} (to ${real}); name that place in log_sources if it is meant`);
  }

  const liveInodes = new Set([...live.values()].map((stats) => `${stats.dev}:${stats.ino}`));
  const claimed = new Set<string>();
  const logs: LiveLog[] = [];
  for (const [path, stats] of live) {
    const rotated = rotatedCopies(path, liveInodes, refused);
    for (const copy of rotated) claimed.add(copy.path);
    logs.push({ ...info(path, stats), rotated });
  }

  // Rotated copies whose live log is gone: still copies (cleanup may remove them), grouped under the missing name.
  const orphans = new Map<string, LiveLog>();
  for (const stray of strays) {
    if (claimed.has(stray) || live.has(stray)) continue;
    const problem = copyProblem(stray, liveInodes);
    if (problem) {
      refused.set(stray, problem);
      continue;
    }
    const livePath = join(dirname(stray), liveNameOf(basename(stray))!);
    let group = orphans.get(livePath);
    if (!group) {
      group = { path: livePath, size: 0, mtimeMs: 0, dev: 0, ino: 0, rotated: [], missing: true };
      orphans.set(livePath, group);
    }
    group.rotated.push(info(stray, lstatSync(stray)));
    claimed.add(stray);
  }
  for (const group of orphans.values()) {
    group.rotated.sort(byRotationOrder);
    logs.push(group);
  }

  logs.sort((a, b) => a.path.localeCompare(b.path));
  return { logs, refused: [...refused].map(([path, reason]) => ({ path, reason })), unmatched };
}

/** Why a rotated-looking file may not be treated as a copy, or undefined when it may. */
function copyProblem(path: string, liveInodes: Set<string>): string | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return 'vanished';
  }
  if (stats.isSymbolicLink()) return 'is a symbolic link: rotated copies are regular files';
  if (!stats.isFile()) return 'is not a regular file';
  if (liveInodes.has(`${stats.dev}:${stats.ino}`)) return 'is the same file as a live log (hard link)';
  return undefined;
}

function rotatedCopies(livePath: string, liveInodes: Set<string>, refused: Map<string, string>): FileInfo[] {
  const dir = dirname(livePath);
  const name = basename(livePath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const copies: FileInfo[] = [];
  for (const candidate of names) {
    if (!isRotatedCopyOf(candidate, name)) continue;
    const path = join(dir, candidate);
    // `dir` is already real, so a regular file directly in it is inside the source; a symlink is never followed.
    const problem = copyProblem(path, liveInodes);
    if (problem) {
      refused.set(path, problem);
      continue;
    }
    copies.push(info(path, lstatSync(path)));
  }
  return copies.sort(byRotationOrder);
}

/** `.1` before `.2.gz` before `.10`; dated names by name. */
function byRotationOrder(a: FileInfo, b: FileInfo): number {
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}
