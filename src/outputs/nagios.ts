// `--format nagios`: one plugin line `LEVEL - summary | perfdata`, then one line per failing check (docs/integrations.md).
import { checkFor } from '../checks/index.js';
import { worst } from '../levels.js';
import type { CheckResult, PerfDatum } from '../types.js';
import { maskText } from '../util/mask.js';
import { withoutFloatNoise } from '../util/time.js';

// Plugin guidelines' threshold range: [@][start:][end], start may be ~ (negative infinity); empty means "none".
const RANGE = /^@?(?:(?:~|-?\d*\.?\d+):)?(?:-?\d*\.?\d+)?$/;
const UOM = /^[a-zA-Z%]*$/;

/** A number as the guidelines write it: plain decimal, never exponent notation (1e-7 would break parsers), no float noise. */
export function plainNumber(raw: number): string {
  const value = withoutFloatNoise(raw);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  if (Math.abs(value) >= 1e21) return BigInt(Math.round(value)).toString();
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** One datum in plugin-guidelines syntax; fields a plugin wrote outside the grammar are left empty, not passed on. */
export function nagiosPerfDatum(datum: PerfDatum, label = datum.label): string | undefined {
  if (!Number.isFinite(datum.value)) return undefined;
  const range = (text: string | undefined) => (text !== undefined && RANGE.test(text) ? text : '');
  const bound = (value: number | undefined) =>
    value !== undefined && Number.isFinite(value) ? plainNumber(value) : '';
  const fields = [range(datum.warn), range(datum.crit), bound(datum.min), bound(datum.max)];
  while (fields.length && fields[fields.length - 1] === '') fields.pop();
  const uom = datum.uom && UOM.test(datum.uom) ? datum.uom : '';
  // Always quoted, so spaces and '=' survive; a quote inside is doubled.
  return `'${label.replace(/'/g, "''")}'=${plainNumber(datum.value)}${uom}${fields.length ? ';' + fields.join(';') : ''}`;
}

/**
 * Every check's perfdata with unique labels (graphing add-ons key on the label): a check type may rename its labels
 * (`nagiosPerf`: a plugin's get the check's name in front); a label seen twice keeps its first value.
 */
export function runPerfdata(results: readonly CheckResult[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const result of results) {
    for (const datum of checkFor(result.type)?.nagiosPerf?.(result) ?? result.perf ?? []) {
      const label = maskText(datum.label);
      if (seen.has(label)) continue;
      const text = nagiosPerfDatum(datum, label);
      if (!text) continue;
      seen.add(label);
      out.push(text);
    }
  }
  return out.join(' ');
}

/**
 * Text that goes into plugin output: one line, and no `|` (it would start the perfdata). The broken bar `¦` stands
 * in for it, so a log pattern like `ERROR|FATAL` still reads as written, not as `ERROR/FATAL`.
 */
const nagiosText = (text: string) => text.replace(/\|/g, '¦').replace(/\s*[\r\n]+\s*/g, ' ');

export function nagiosOutput(results: readonly CheckResult[]): string {
  const level = worst(results.map((r) => r.level));
  const failing = results.filter((r) => r.level !== 'OK');
  const summary =
    results.length === 0
      ? 'no checks ran'
      : failing.length === 0
        ? `all ${results.length} checks ok`
        : `${failing.length} of ${results.length} checks failing: ${failing.map((r) => r.name).join(', ')}`;
  const perf = runPerfdata(results);
  const lines = [`${level} - ${nagiosText(maskText(summary))}${perf ? ` | ${perf}` : ''}`];
  for (const result of failing) lines.push(nagiosText(maskText(`${result.level}: ${result.name}: ${result.message}`)));
  return lines.join('\n') + '\n';
}
