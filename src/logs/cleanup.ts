// `logs cleanup`: delete rotated copies older than N days. Never a live log, never a symlink, never outside the sources.
import { lstatSync, realpathSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileInfo, LogSources, Refused } from './sources.js';
import { codeOf, messageOf } from '../util/errors.js';

export interface CleanupResult {
  /** Deleted (or, with dry run, would be). */
  deleted: FileInfo[];
  /** Rotated copies young enough to stay. */
  kept: FileInfo[];
  refused: Refused[];
  failed: Refused[];
  freedBytes: number;
}

export function cleanupRotated(sources: LogSources, olderThanMs: number, dryRun: boolean): CleanupResult {
  const result: CleanupResult = { deleted: [], kept: [], refused: [...sources.refused], failed: [], freedBytes: 0 };
  const livePaths = new Set(sources.logs.filter((log) => !log.missing).map((log) => log.path));
  const liveInodes = new Set(sources.logs.filter((log) => !log.missing).map((log) => `${log.dev}:${log.ino}`));
  for (const log of sources.logs) {
    for (const copy of log.rotated) {
      if (copy.mtimeMs >= olderThanMs) {
        result.kept.push(copy);
        continue;
      }
      // Look again right before deleting: the tree may have changed since it was read (a rotation, a new symlink).
      const problem = stillSafe(copy, livePaths, liveInodes);
      if (problem) {
        result.refused.push({ path: copy.path, reason: problem });
        continue;
      }
      if (!dryRun) {
        try {
          unlinkSync(copy.path);
        } catch (error) {
          const code = codeOf(error);
          const fix = code === 'EACCES' || code === 'EPERM' ? ' (run as root)' : '';
          result.failed.push({ path: copy.path, reason: `${code ?? messageOf(error)}${fix}` });
          continue;
        }
      }
      result.deleted.push(copy);
      result.freedBytes += copy.size;
    }
  }
  return result;
}

function stillSafe(copy: FileInfo, livePaths: Set<string>, liveInodes: Set<string>): string | undefined {
  if (livePaths.has(copy.path)) return 'is a live log';
  try {
    const stats = lstatSync(copy.path);
    if (!stats.isFile()) return stats.isSymbolicLink() ? 'became a symbolic link' : 'is not a regular file';
    if (stats.dev !== copy.dev || stats.ino !== copy.ino) return 'was replaced since it was listed';
    if (liveInodes.has(`${stats.dev}:${stats.ino}`)) return 'is the same file as a live log (hard link)';
    if (realpathSync(dirname(copy.path)) !== dirname(copy.path)) return 'its directory became a symbolic link';
  } catch {
    return 'vanished';
  }
  return undefined;
}
