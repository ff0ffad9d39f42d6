// The JSON answers of `logs summary|errors|cleanup --json`, which serve's log API returns too (docs/serve.md).
// Log lines may hold connection strings and tokens: their text is masked like everything else the program prints.
import { maskText } from '../util/mask.js';
import { localIso } from '../util/time.js';
import type { CleanupResult } from './cleanup.js';
import type { ErrorScan } from './errors.js';
import type { FileInfo, LogSources } from './sources.js';
import type { LogSummary } from './summary.js';

export const fileJson = (file: FileInfo) => ({
  path: file.path,
  size: file.size,
  last_write: localIso(new Date(file.mtimeMs)),
});

const notesJson = (sources: LogSources) => ({ unmatched: sources.unmatched, refused: sources.refused });

export function summaryAnswer(summaries: readonly LogSummary[], sources: LogSources) {
  const files = summaries.map(({ log, lines, problem, rotatedBytes }) => ({
    path: log.path,
    live: !log.missing,
    ...(log.missing ? {} : { size: log.size, lines: lines ?? null, last_write: localIso(new Date(log.mtimeMs)) }),
    ...(problem ? { problem } : {}),
    rotated_count: log.rotated.length,
    rotated_bytes: rotatedBytes,
    rotated: log.rotated.map(fileJson),
  }));
  return { files, ...notesJson(sources) };
}

export function errorsAnswer(hours: number, sinceMs: number, scan: ErrorScan, sources: LogSources) {
  return {
    hours,
    since: localIso(new Date(sinceMs)),
    count: scan.entries.length,
    entries: scan.entries.map((e) => ({
      time: localIso(new Date(e.time)),
      file: e.file,
      line: e.line,
      text: maskText(e.text),
    })),
    files_read: scan.files,
    untimed: scan.untimed,
    unreadable: scan.unreadable,
    ...notesJson(sources),
  };
}

export function cleanupAnswer(days: number, dryRun: boolean, result: CleanupResult, sources: LogSources) {
  return {
    days,
    dry_run: dryRun,
    deleted: result.deleted.map(fileJson),
    freed_bytes: result.freedBytes,
    kept: result.kept.map(fileJson),
    refused: result.refused,
    failed: result.failed,
    unmatched: sources.unmatched,
  };
}
