// Problems between keys that no single schema sees: unique names, depends_on targets and cycles, warning vs critical.
// Found on the raw data so they are listed with the rest; every pass is linear in the number of checks
// (docs/config-rules.md: a 5,000-check file validates in well under a second).
import { say } from '../i18n/index.js';
import { maintenanceCheckProblems } from '../alerts/schema.js';
import { noCheckNamed } from '../util/nearest.js';

type Raw = Record<string, unknown>;

/** Typo suggestions compare a name with every check's: only for the first few, so a big file stays linear. */
const MAX_SUGGESTIONS = 20;

const asObject = (value: unknown): Raw | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;

export function crossCheckProblems(raw: unknown): string[] {
  const root = asObject(raw);
  const problems: string[] = [];
  problems.push(...thresholdOrderProblems(root));
  const checks = root?.checks;
  if (!Array.isArray(checks)) return problems;
  const names = checks.map((check) => asObject(check)?.name);
  const firstIndex = new Map<string, number>();
  names.forEach((name, index) => {
    // indexes are the checks' own positions (checks without a name keep theirs)
    if (typeof name !== 'string') return;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else problems.push(`checks[${index}].name: ${say.config.duplicateName(name, first)}`);
  });
  const known = [...firstIndex.keys()];
  let suggestions = 0;
  checks.forEach((check, index) => {
    const own = asObject(check);
    if (own) problems.push(...checkThresholdProblems(own, index, root!));
    const parents = own?.depends_on;
    if (!Array.isArray(parents)) return;
    parents.forEach((parent, p) => {
      if (typeof parent !== 'string' || firstIndex.has(parent)) return;
      const refusal = suggestions++ < MAX_SUGGESTIONS ? noCheckNamed(parent, known) : noCheckNamed(parent, []);
      problems.push(`checks[${index}].depends_on[${p}]: ${refusal}`);
    });
    if (parents.includes(names[index])) problems.push(`checks[${index}].depends_on: ${say.config.dependsOnItself}`);
  });
  problems.push(...cycleProblems(checks, names, firstIndex));
  problems.push(...maintenanceCheckProblems(raw, firstIndex));
  return problems;
}

/**
 * depends_on cycles (b → c → b): each check in one would wait for the other to be healthy, so none of them ever pages.
 * Iterative depth-first search (no recursion: a long chain must not overflow the stack); one line per cycle.
 */
function cycleProblems(
  checks: readonly unknown[],
  names: readonly unknown[],
  index: ReadonlyMap<string, number>,
): string[] {
  const edges = checks.map((check, i) => {
    const parents = asObject(check)?.depends_on;
    if (!Array.isArray(parents)) return [];
    // a self-reference is reported on its own line above
    return parents.flatMap((parent) =>
      typeof parent === 'string' && parent !== names[i] && index.has(parent) ? [index.get(parent)!] : [],
    );
  });
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Uint8Array(checks.length);
  const problems: string[] = [];
  for (let start = 0; start < checks.length; start++) {
    if (colour[start] !== WHITE || typeof names[start] !== 'string' || index.get(names[start] as string) !== start)
      continue;
    const path: number[] = [start];
    const next: number[] = [0];
    colour[start] = GREY;
    while (path.length > 0) {
      const node = path.at(-1)!;
      const edge = next[next.length - 1]!;
      if (edge >= edges[node]!.length) {
        colour[node] = BLACK;
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = edge + 1;
      const target = edges[node]![edge]!;
      if (colour[target] === GREY) {
        const cycle = path.slice(path.lastIndexOf(target)).map((i) => names[i] as string);
        problems.push(`checks: ${say.config.dependsOnCycle([...cycle, cycle[0]!].join(' → '))}`);
      } else if (colour[target] === WHITE) {
        colour[target] = GREY;
        path.push(target);
        next.push(0);
      }
    }
  }
  return problems;
}

/** The kinds whose level rises with the number: warning comes first, so it may not be above critical. */
const RISING = ['disk', 'memory', 'cpu'] as const;

/** A number the schema accepts (a percentage out of 0–100 is its problem, not a second one here). */
const num = (value: unknown, max = Infinity): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max ? value : undefined;
const maxFor = (kind: unknown) => (kind === 'disk' || kind === 'memory' ? 100 : Infinity);

function order(warning: number | undefined, critical: number | undefined, criticalFrom = ''): string | undefined {
  if (warning === undefined || critical === undefined || warning <= critical) return undefined;
  return say.config.warningAbove(warning, `${critical}${criticalFrom}`);
}

function thresholdOrderProblems(root: Raw | undefined): string[] {
  const thresholds = asObject(root?.thresholds);
  const problems: string[] = [];
  for (const kind of RISING) {
    const t = asObject(thresholds?.[kind]);
    const why = order(num(t?.warning, maxFor(kind)), num(t?.critical, maxFor(kind)));
    if (why) problems.push(`thresholds.${kind}.warning: ${why}`);
  }
  return problems;
}

/** A check's own warning/critical, each falling back to the config's thresholds (which take the built-in defaults). */
function checkThresholdProblems(check: Raw, index: number, root: Raw): string[] {
  const type = check.type;
  const own = { warning: num(check.warning, maxFor(type)), critical: num(check.critical, maxFor(type)) };
  if (own.warning === undefined && own.critical === undefined) return [];
  if (type === 'log') {
    const why = order(own.warning, own.critical);
    return why ? [`checks[${index}].warning: ${why}`] : [];
  }
  if (!RISING.includes(type as (typeof RISING)[number])) return [];
  const defaults = asObject(asObject(root.thresholds)?.[type as string]);
  const warning = own.warning ?? num(defaults?.warning, maxFor(type)) ?? (type === 'cpu' ? 70 : 80);
  const critical = own.critical ?? num(defaults?.critical, maxFor(type)) ?? 90;
  const key = own.warning === undefined ? 'critical' : 'warning';
  const why =
    key === 'warning'
      ? order(warning, critical, own.critical === undefined ? ` from thresholds.${String(type)}` : '')
      : order(warning, critical) && say.config.criticalBelow(critical, `${warning} from thresholds.${String(type)}`);
  return why ? [`checks[${index}].${key}: ${why}`] : [];
}
