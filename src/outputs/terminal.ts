// The human view of a run on a terminal: one aligned line per check, hints under failures, a closing summary.
import type { CheckResult, RunReport } from '../types.js';
import { maskText } from '../util/mask.js';
import { localStamp } from '../util/time.js';
import type { Paint } from '../terminal/paint.js';
import { say } from '../i18n/index.js';

const MARK = { OK: '✔', WARNING: '▲', CRITICAL: '✖', UNKNOWN: '?' } as const;

export function renderRun(report: RunReport, results: readonly CheckResult[], paint: Paint, logFile: string): string {
  const nameWidth = Math.max(4, ...results.map((r) => r.name.length));
  const lines = [
    paint.bold(`neuronova-health-check · ${report.host} · ${localStamp(new Date(report.timestamp * 1000))}`),
  ];
  for (const result of results) {
    const level = paint.level(result.level, `${MARK[result.level]} ${result.level.padEnd(8)}`);
    const text = maskText(result.logMessage ?? result.message);
    lines.push(`  ${level} ${result.name.padEnd(nameWidth)}  ${text}`);
    if (result.level !== 'OK' && result.hint)
      lines.push(`  ${' '.repeat(11)}${' '.repeat(nameWidth)}  ${paint.dim(say.terminal.hint(maskText(result.hint)))}`);
  }
  if (results.length === 0) lines.push(say.terminal.noChecks);
  lines.push(
    say.terminal
      .summary(report.level, say.run.counts(report.summary), Math.round(report.duration_ms), logFile)
      .replace(report.level, paint.level(report.level, report.level)),
  );
  return lines.join('\n') + '\n';
}
