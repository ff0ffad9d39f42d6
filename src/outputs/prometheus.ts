// `outputs.prometheus`: the run as a node_exporter textfile-collector file (text exposition format), replaced atomically.
import { exitCode } from '../levels.js';
import type { StepContext } from '../run-context.js';
import type { CheckResult, RunReport } from '../types.js';
import { writeFileAtomic } from '../util/atomic-write.js';

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
  // 15 significant digits: 0.1577 stays 0.1577 instead of 0.15769999999999998 (float noise from ms → s).
  return String(Number(value.toPrecision(15)));
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

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Every mount a disk check reported, with its used %, from the check's JSON fields (the same numbers --json shows). */
function diskMounts(result: CheckResult): { path: string; percent: number }[] {
  const details = result.details ?? {};
  if (Array.isArray(details.mounts)) {
    return (details.mounts as { path?: unknown; usage_percent?: unknown }[])
      .filter((m) => typeof m.path === 'string' && num(m.usage_percent) !== undefined)
      .map((m) => ({ path: m.path as string, percent: m.usage_percent as number }));
  }
  const percent = num(details.usage_percent);
  return typeof details.path === 'string' && percent !== undefined ? [{ path: details.path, percent }] : [];
}

/**
 * The whole textfile for one run. Numbers come from the results' JSON fields, so they match `--json` exactly.
 * `run_duration_seconds` is the time until the checks were done (the file is written before the run ends).
 */
export function prometheusText(results: readonly CheckResult[], report: RunReport): string {
  const family = (name: string, help: string): Family => ({ name, help, samples: [] });
  const status = family('neuronova_check_status', 'Level of the check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios exit codes).');
  const up = family('neuronova_check_up', '1 when the check is OK or WARNING (the service works), 0 when CRITICAL or UNKNOWN.');
  const duration = family('neuronova_check_duration_seconds', 'How long the check took, in seconds.');
  const response = family('neuronova_check_response_time_seconds', 'Response time the check measured (HTTP, TCP, PostgreSQL, Redis), in seconds.');
  const diskUsed = family('neuronova_disk_used_ratio', 'Used fraction of the filesystem (0-1), as df computes it.');
  const memoryUsed = family('neuronova_memory_used_ratio', 'Used fraction of memory (0-1): (MemTotal - MemAvailable) / MemTotal.');
  const loadPerCore = family('neuronova_load_per_core', 'Load average divided by the number of cores, per window (1m, 5m, 15m).');
  const perfdata = family('neuronova_check_perfdata', 'Performance data a command check (Nagios plugin) printed after |, in its own unit.');
  const runStatus = family('neuronova_run_status', 'Overall level of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.');
  const lastRun = family('neuronova_last_run_timestamp_seconds', 'Unix time the last run started.');
  const runDuration = family('neuronova_run_duration_seconds', 'How long the last run took to check everything, in seconds.');

  for (const result of results) {
    const id = { check: result.name, type: result.type };
    status.samples.push({ labels: id, value: exitCode(result.level) });
    up.samples.push({ labels: id, value: result.level === 'OK' || result.level === 'WARNING' ? 1 : 0 });
    duration.samples.push({ labels: id, value: result.durationMs / 1000 });
    if (result.responseTimeMs !== undefined) response.samples.push({ labels: id, value: result.responseTimeMs / 1000 });
    const details = result.details ?? {};
    if (result.type === 'disk') {
      for (const mount of diskMounts(result)) diskUsed.samples.push({ labels: { check: result.name, mountpoint: mount.path }, value: mount.percent / 100 });
    } else if (result.type === 'memory') {
      const percent = num(details.usage_percent);
      if (percent !== undefined) memoryUsed.samples.push({ labels: { check: result.name }, value: percent / 100 });
    } else if (result.type === 'cpu') {
      const loads = Array.isArray(details.load_avg) ? details.load_avg : [];
      const cores = num(details.cores);
      if (cores) {
        ['1m', '5m', '15m'].forEach((window, i) => {
          const load = num(loads[i]);
          if (load !== undefined) loadPerCore.samples.push({ labels: { check: result.name, window }, value: load / cores });
        });
      }
    } else if (result.type === 'command') {
      const seen = new Set<string>();
      for (const datum of result.perf ?? []) {
        // Two samples with the same labels make the whole file invalid for node_exporter: keep the first.
        const key = `${datum.label}\u0000${datum.uom ?? ''}`;
        if (seen.has(key) || !Number.isFinite(datum.value)) continue;
        seen.add(key);
        perfdata.samples.push({ labels: { check: result.name, label: datum.label, uom: datum.uom ?? '' }, value: datum.value });
      }
    }
  }
  runStatus.samples.push({ labels: {}, value: exitCode(report.level) });
  lastRun.samples.push({ labels: {}, value: report.timestamp });
  runDuration.samples.push({ labels: {}, value: report.duration_ms / 1000 });

  const families = [status, up, duration, response, diskUsed, memoryUsed, loadPerCore, perfdata, runStatus, lastRun, runDuration];
  // A family without samples would only be noise (and some parsers reject a TYPE with no sample after it).
  return families.filter((f) => f.samples.length > 0).map(renderFamily).join('\n') + '\n';
}

/** Write the textfile so node_exporter never reads half of it (temp file in the same directory, then rename). */
export function writePrometheusFile(path: string, results: readonly CheckResult[], report: RunReport): void {
  writeFileAtomic(path, prometheusText(results, report), 0o644);
}

/** After-run step. An unwritable file is the program's own problem: said on stderr too, not only in the log. */
export async function prometheusStep(ctx: StepContext): Promise<void> {
  const path = ctx.config.outputs.prometheus!;
  try {
    writePrometheusFile(path, ctx.results, ctx.report);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = code === 'EACCES' || code === 'EPERM' ? ' (run as root, or point outputs.prometheus at a writable directory)' : '';
    const message = `cannot write the Prometheus textfile ${path}: ${(error as Error).message}${fix}`;
    ctx.options.onProblem(message);
    throw new Error(message);
  }
}
