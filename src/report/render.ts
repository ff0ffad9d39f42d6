// The `report` command's terminal view: one aligned row per check, the availability verdict, then the incidents.
import { say } from '../i18n/index.js';
import { cellWidth, padCells } from '../i18n/width.js';
import type { Level } from '../levels.js';
import type { Paint } from '../terminal/paint.js';
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
  const lines = [paint.bold(say.report.title(report.host, report.since, stamp(report.from), stamp(report.to))), ''];
  const names = Object.keys(report.checks);
  if (report.availability.runs === 0) {
    lines.push(...say.report.noRuns(history.dir));
    return lines.join('\n') + '\n';
  }

  const header = say.report.header;
  const rows = names.map((name) => row(name, report.checks[name]!));
  const widths = header.map((title, i) =>
    Math.max(cellWidth(title), ...rows.map((cells) => cellWidth(cells[i]!.text))),
  );
  lines.push(
    '  ' +
      header
        .map((title, i) => paint.dim(padCells(title, widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
  for (const cells of rows) {
    lines.push(
      '  ' +
        cells
          .map((cell, i) => colour(paint, cell, report.availability.target_percent, widths[i]!))
          .join('  ')
          .trimEnd(),
    );
  }

  const { percent, runs, up_runs, target_percent, met } = report.availability;
  const verdict = met ? paint.level('OK', say.report.met) : paint.level('CRITICAL', say.report.missed);
  lines.push('');
  lines.push(say.report.availability(paint.bold(formatPercent(percent)), up_runs, runs, target_percent, verdict));

  const incidents = names
    .flatMap((name) => report.checks[name]!.incidents)
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  lines.push('');
  if (incidents.length === 0) {
    lines.push(say.report.noIncidents);
  } else {
    lines.push(paint.bold(say.report.incidents(incidents.length)));
    const nameWidth = Math.max(...incidents.map((incident) => incident.check.length));
    for (const incident of incidents.slice(0, MAX_INCIDENTS)) lines.push(incidentLine(incident, nameWidth, paint));
    if (incidents.length > MAX_INCIDENTS)
      lines.push(paint.dim(say.report.olderIncidents(incidents.length - MAX_INCIDENTS)));
  }
  if (history.skipped_lines > 0) {
    lines.push(paint.dim(say.report.skippedLines(history.skipped_lines)));
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
    {
      text: check.runs === 0 ? say.report.noRunsCell : formatPercent(check.uptime_percent),
      uptime: check.uptime_percent,
    },
    { text: String(check.runs) },
    { text: rt ? formatMs(rt.avg) : '—' },
    { text: rt ? formatMs(rt.p50) : '—' },
    { text: rt ? formatMs(rt.p95) : '—' },
    { text: rt ? formatMs(rt.max) : '—' },
    { text: check.downtime_s > 0 ? formatSpan(check.downtime_s) : '—' },
    { text: `${check.incidents.length}${ongoing ? say.report.ongoingCount(ongoing) : ''}` },
    check.current ? { text: check.current.level, level: check.current.level } : { text: '—' },
  ];
}

function colour(paint: Paint, cell: Cell, target: number, width: number): string {
  const padded = padCells(cell.text, width);
  if (cell.level) return paint.level(cell.level, padded);
  if (cell.uptime !== undefined && cell.uptime !== null)
    return paint.level(cell.uptime >= target ? 'OK' : 'CRITICAL', padded);
  return padded;
}

function incidentLine(incident: Incident, nameWidth: number, paint: Paint): string {
  const start = stamp(incident.start);
  const end =
    incident.end === null
      ? say.report.ongoing
      : incident.end.slice(0, 10) === incident.start.slice(0, 10)
        ? stamp(incident.end).slice(11)
        : stamp(incident.end);
  const span = padCells(`${start} → ${end}`, 35);
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
  return seconds < 1 ? '<1s' : say.duration(seconds * 1000);
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** `2025-12-06 14:35` from a report's local ISO time (the host's clock, as the log file shows it). */
function stamp(iso: string): string {
  return localStamp(new Date(iso)).slice(0, 16);
}
