// `--format nagios`: one plugin line `LEVEL - summary | perfdata`, then one line per failing check (SPEC §7).
import type { CheckResult } from '../types.js';
import { worst } from '../levels.js';
import { formatPerfDatum } from '../util/perfdata.js';
import { maskText } from '../util/mask.js';

export function nagiosOutput(results: readonly CheckResult[]): string {
  const level = worst(results.map((r) => r.level));
  const failing = results.filter((r) => r.level !== 'OK');
  const summary =
    failing.length === 0
      ? `all ${results.length} checks ok`
      : `${failing.length} of ${results.length} checks failing: ${failing.map((r) => r.name).join(', ')}`;
  const perf = results.flatMap((r) => r.perf ?? []).map(formatPerfDatum).join(' ');
  const lines = [`${level} - ${summary}${perf ? ` | ${perf}` : ''}`];
  for (const result of failing) lines.push(`${result.level}: ${result.name}: ${result.message}`);
  // The summary line's `|` separates perfdata: keep it out of the texts.
  return maskText(lines.map((line, i) => (i === 0 ? line : line.replace(/\|/g, '/'))).join('\n')) + '\n';
}
