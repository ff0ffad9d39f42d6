// The one-line run summary shared by the log, the terminal and Nagios: "CRITICAL (1 critical, 1 warning, 6 ok)".
import type { Summary } from '../types.js';

export function countsText(summary: Summary): string {
  const parts: string[] = [];
  if (summary.critical) parts.push(`${summary.critical} critical`);
  if (summary.unknown) parts.push(`${summary.unknown} unknown`);
  if (summary.warning) parts.push(`${summary.warning} warning`);
  parts.push(`${summary.ok} ok`);
  return parts.join(', ');
}
