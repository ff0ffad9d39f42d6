// Nagios plugin performance data: parse `'label'=value[UOM];warn;crit;min;max` (src/outputs/nagios.ts writes it back).
import type { PerfDatum } from '../types.js';

// label: quoted ('' escapes a quote) or a run without spaces/=; then =value with optional unit, then ;fields
const DATUM = /('(?:[^']|'')+'|[^\s'=]+)=(-?[\d.]+(?:[eE][-+]?\d+)?)([a-zA-Z%]*)((?:;[^;\s]*){0,4})/g;

export function parsePerfdata(text: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  for (const match of text.matchAll(DATUM)) {
    const rawLabel = match[1]!;
    const label = rawLabel.startsWith("'") ? rawLabel.slice(1, -1).replace(/''/g, "'") : rawLabel;
    const value = Number(match[2]);
    if (!Number.isFinite(value)) continue;
    const [warn, crit, min, max] = match[4]!.split(';').slice(1);
    const datum: PerfDatum = { label, value };
    if (match[3]) datum.uom = match[3];
    if (warn) datum.warn = warn;
    if (crit) datum.crit = crit;
    if (min && Number.isFinite(Number(min))) datum.min = Number(min);
    if (max && Number.isFinite(Number(max))) datum.max = Number(max);
    data.push(datum);
  }
  return data;
}
