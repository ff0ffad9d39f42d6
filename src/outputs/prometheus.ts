// `outputs.prometheus`: the run as a node_exporter textfile-collector file (text exposition format), replaced atomically.
import { say } from '../i18n/index.js';
import { CHECK_TYPES, checkFor } from '../checks/index.js';
import { exitCode } from '../levels.js';
import type { StepContext } from '../run-context.js';
import type { CheckResult, RunReport } from '../types.js';
import { writeFileAtomic } from '../util/safe-file.js';
import { withoutFloatNoise } from '../util/time.js';
import { codeOf, messageOf } from '../util/errors.js';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** Label values may hold any text (mount points, plugin labels): escape as the exposition format asks. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's ParseFloat spellings, which the parser on the other side expects. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  // 0.1577 stays 0.1577 instead of 0.15769999999999998 (float noise from ms → s).
  return String(withoutFloatNoise(value));
}

/** Metric label names must match [a-zA-Z_][a-zA-Z0-9_]*; ours are fixed words, so only values need escaping. */
function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`];
  for (const sample of family.samples) {
    const labels = Object.entries(sample.labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
    lines.push(`${family.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(sample.value)}`);
  }
  return lines.join('\n');
}

/**
 * The whole textfile for one run. Numbers come from the results' JSON fields, so they match `--json` exactly; each check
 * type adds its own families through its `metrics` (src/checks/check.ts), in the registry's order.
 * `run_duration_seconds` is the time until the checks were done (the file is written before the run ends).
 */
export function prometheusText(results: readonly CheckResult[], report: RunReport): string {
  const families = new Map<string, Family>();
  const family = (name: string, help: string): Family => {
    const made: Family = { name: `neuronova_${name}`, help, samples: [] };
    families.set(name, made);
    return made;
  };
  const status = family(
    'check_status',
    'Level of the check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios exit codes).',
  );
  const up = family('check_up', '1 when the check is OK or WARNING (the service works), 0 when CRITICAL or UNKNOWN.');
  const duration = family('check_duration_seconds', 'How long the check took, in seconds.');
  const response = family(
    'check_response_time_seconds',
    'Response time the check measured (HTTP, TCP, PostgreSQL, Redis; a command: its wall time), in seconds.',
  );
  for (const type of CHECK_TYPES) {
    for (const [name, help] of Object.entries(checkFor(type).metrics?.families ?? {})) family(name, help);
  }
  const runStatus = family('run_status', 'Overall level of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.');
  const lastRun = family('last_run_timestamp_seconds', 'Unix time the last run started.');
  const runDuration = family('run_duration_seconds', 'How long the last run took to check everything, in seconds.');

  for (const result of results) {
    const id = { check: result.name, type: result.type };
    status.samples.push({ labels: id, value: exitCode(result.level) });
    up.samples.push({ labels: id, value: result.level === 'OK' || result.level === 'WARNING' ? 1 : 0 });
    duration.samples.push({ labels: id, value: result.durationMs / 1000 });
    if (result.responseTimeMs !== undefined) response.samples.push({ labels: id, value: result.responseTimeMs / 1000 });
    for (const sample of checkFor(result.type)?.metrics?.samples(result) ?? []) {
      families.get(sample.family)?.samples.push({ labels: sample.labels, value: sample.value });
    }
  }
  runStatus.samples.push({ labels: {}, value: exitCode(report.level) });
  lastRun.samples.push({ labels: {}, value: report.timestamp });
  runDuration.samples.push({ labels: {}, value: report.duration_ms / 1000 });

  // A family without samples would only be noise (and some parsers reject a TYPE with no sample after it).
  const written = [...families.values()].map(usable).filter((f) => f.samples.length > 0);
  return written.map(renderFamily).join('\n') + '\n';
}

/** Finite values only, and one sample per label set: two with the same labels make the whole file invalid for node_exporter. */
function usable(family: Family): Family {
  const seen = new Set<string>();
  const samples = family.samples.filter((sample) => {
    const key = JSON.stringify(sample.labels);
    if (!Number.isFinite(sample.value) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...family, samples };
}

/** Write the textfile so node_exporter never reads half of it (temp file in the same directory, then rename). */
export function writePrometheusFile(path: string, results: readonly CheckResult[], report: RunReport): void {
  writeFileAtomic(path, prometheusText(results, report), { mode: 0o644, durable: false });
}

/** After-run step. An unwritable file is the program's own problem: said on stderr too, not only in the log. */
export async function prometheusStep(ctx: StepContext): Promise<void> {
  const path = ctx.config.outputs.prometheus!;
  try {
    writePrometheusFile(path, ctx.results, ctx.report);
  } catch (error) {
    const code = codeOf(error);
    const message = say.run.prometheusUnwritable(path, messageOf(error), code === 'EACCES' || code === 'EPERM');
    ctx.options.onProblem(message);
    throw new Error(message);
  }
}
