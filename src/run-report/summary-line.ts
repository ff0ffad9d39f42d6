// The run's counts in English for the heartbeat ping's body, which tools read: "1 critical, 1 warning, 6 ok".
// People read them in their language from the catalogue (say.run.counts, src/i18n/).
import type { Summary } from '../types.js';

export function countsText(summary: Summary): string {
  const parts: string[] = [];
  if (summary.critical) parts.push(`${summary.critical} critical`);
  if (summary.unknown) parts.push(`${summary.unknown} unknown`);
  if (summary.warning) parts.push(`${summary.warning} warning`);
  parts.push(`${summary.ok} ok`);
  return parts.join(', ');
}
