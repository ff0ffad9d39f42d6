// The `report` command's terminal view: one aligned row per check, the availability verdict, then the incidents.
import type { Level } from '../levels.js';
import type { Paint } from '../terminal/paint.js';
import { formatDuration } from '../util/duration.js';
import { localStamp } from '../util/time.js';
import type { CheckReport, Incident, UptimeReport } from './report.js';

/** Incidents listed on a terminal; --json has them all. */
const MAX_INCIDENTS = 20;

export interface HistoryNote {
  dir: string;
  files: number;
  skipped_lines: number;
}

export function renderUptimeReport(report: UptimeReport, paint: Paint, history: HistoryNote): string {
  const lines = [paint.bold(`Uptime report · ${report.host} · last ${report.since} (${stamp(report.from)} → ${stamp(report.to)})`), ''];
  const names = Object.keys(report.checks);
  if (report.availability.runs === 0) {
    lines.push(`  No runs recorded in this window in ${history.dir}.`);
    lines.push('  Every run appends to the history: is cron running the checks, and can it write state_dir?');
    return lines.join('\n') + '\n';
  }

  const header = ['CHECK', 'UPTIME', 'RUNS', 'AVG', 'P50', 'P95', 'MAX', 'DOWNTIME', 'INCIDENTS', 'LAST'];
  const rows = names.map((name) => row(name, report.checks[name]!));
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((cells) => cells[i]!.text.length)));
  lines.push('  ' + header.map((title, i) => paint.dim(title.padEnd(widths[i]!))).join('  ').trimEnd());
  for (const cells of rows) {
    lines.push('  ' + cells.map((cell, i) => colour(paint, cell, report.availability.target_percent, widths[i]!)).join('  ').trimEnd());
  }

  const { percent, runs, up_runs, target_percent, met } = report.availability;
  const verdict = met ? paint.level('OK', 'met') : paint.level('CRITICAL', 'MISSED');
  lines.push('');
  lines.push(
    `Availability ${paint.bold(formatPercent(percent))} (every check up in ${up_runs} of ${runs} runs) · target ${target_percent}%: ${verdict}`,
  );

  const incidents = names.flatMap((name) => report.checks[name]!.incidents).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  lines.push('');
  if (incidents.length === 0) {
    lines.push('No incidents.');
  } else {
    lines.push(paint.bold(`Incidents (${incidents.length}, newest first)`));
    const nameWidth = Math.max(...incidents.map((incident) => incident.check.length));
    for (const incident of incidents.slice(0, MAX_INCIDENTS)) lines.push(incidentLine(incident, nameWidth, paint));
    if (incidents.length > MAX_INCIDENTS) lines.push(paint.dim(`  … ${incidents.length - MAX_INCIDENTS} older ones (all of them with --json)`));
  }
  if (history.skipped_lines > 0) {
    lines.push(paint.dim(`(${history.skipped_lines} unreadable history line${history.skipped_lines === 1 ? '' : 's'} skipped: a run cut short mid-write)`));
  }
  return lines.join('\n') + '\n';
}

interface Cell {
  text: string;
  level?: Level;
  uptime?: number | null;
}

function row(name: string, check: CheckReport): Cell[] {
  const rt = check.response_time_ms;
  const ongoing = check.incidents.filter((incident) => incident.ongoing).length;
  return [
    { text: name },
    { text: check.runs === 0 ? 'no runs' : formatPercent(check.uptime_percent), uptime: check.uptime_percent },
    { text: String(check.runs) },
    { text: rt ? formatMs(rt.avg) : '—' },
    { text: rt ? formatMs(rt.p50) : '—' },
    { text: rt ? formatMs(rt.p95) : '—' },
    { text: rt ? formatMs(rt.max) : '—' },
    { text: check.downtime_s > 0 ? formatSpan(check.downtime_s) : '—' },
    { text: `${check.incidents.length}${ongoing ? ` (${ongoing} ongoing)` : ''}` },
    check.current ? { text: check.current.level, level: check.current.level } : { text: '—' },
  ];
}

function colour(paint: Paint, cell: Cell, target: number, width: number): string {
  const padded = cell.text.padEnd(width);
  if (cell.level) return paint.level(cell.level, padded);
  if (cell.uptime !== undefined && cell.uptime !== null) return paint.level(cell.uptime >= target ? 'OK' : 'CRITICAL', padded);
  return padded;
}

function incidentLine(incident: Incident, nameWidth: number, paint: Paint): string {
  const start = stamp(incident.start);
  const end = incident.end === null ? 'ongoing' : incident.end.slice(0, 10) === incident.start.slice(0, 10) ? stamp(incident.end).slice(11) : stamp(incident.end);
  const span = `${start} → ${end}`.padEnd(35);
  const level = paint.level(incident.worst_level, incident.worst_level.padEnd(8));
  return `  ${incident.check.padEnd(nameWidth)}  ${span} ${formatSpan(incident.duration_s).padStart(7)}  ${level}  ${incident.first_message}`;
}

/** Shown cut, never rounded up: 99.8996 % reads 99.89 %, not a target-meeting 99.90 %. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return '—';
  if (percent === 100) return '100%';
  return `${(Math.floor(percent * 100) / 100).toFixed(2)}%`;
}

/** An incident's length from whole seconds: "<1s" for an incident seen in one run and measured at once. */
export function formatSpan(seconds: number): string {
  return seconds < 1 ? '<1s' : formatDuration(seconds * 1000);
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** `2025-12-06 14:35` from a report's local ISO time (the host's clock, as the log file shows it). */
function stamp(iso: string): string {
  return localStamp(new Date(iso)).slice(0, 16);
}
