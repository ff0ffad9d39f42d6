// What the status page shows, gathered in one pass over the history: current state, the last 90 runs, 24 h of
// response times, uptime over 24 h / 7 d / 30 d, and recent incidents. Pure: runs in, a plain model out.
import { levelOf, type Cell, type HistoryRun } from '../history/line.js';
import { worst, type Level } from '../levels.js';
import { uptimeReporter, type Incident, type UptimeReport } from '../report/report.js';
import { responseStats, type ResponseStats } from '../report/stats.js';

export const SLOTS = 90;
export const PAGE_DAYS = 30;
const DAY_MS = 86_400_000;
const MAX_INCIDENTS = 10;

export interface Slot {
  t: number;
  level: Level;
  message: string;
}

export interface ChartPoint {
  t: number;
  ms: number | null;
  level: Level;
}

export interface CheckRow {
  name: string;
  type?: string;
  /** Null when the check has no run in the history yet. */
  current: { t: number; level: Level; message: string } | null;
  /** The check's last SLOTS runs, oldest first (fewer while the history is young). */
  slots: Slot[];
  /** Response times of the last 24 h, oldest first; empty for checks that measure none. */
  chart: ChartPoint[];
  chartStats: ResponseStats | null;
  uptime: { day: number | null; week: number | null; month: number | null };
}

export interface StatusModel {
  host: string;
  /** Epoch ms of this run. */
  now: number;
  level: Level;
  rows: CheckRow[];
  availability: {
    day: UptimeReport['availability'];
    week: UptimeReport['availability'];
    month: UptimeReport['availability'];
  };
  /** Newest first, at most MAX_INCIDENTS, from the last PAGE_DAYS days. */
  incidents: Incident[];
}

export interface ModelOptions {
  host: string;
  nowMs: number;
  target: number;
  /** The config's enabled checks, in order: one row each. */
  checks: { name: string; type: string }[];
}

export interface StatusCollector {
  add(run: HistoryRun): void;
  finish(): StatusModel;
}

export function statusCollector(options: ModelOptions): StatusCollector {
  const { nowMs } = options;
  // only the configured checks: a check removed from the config no longer counts against the page's availability
  const base = {
    toMs: nowMs,
    target: options.target,
    host: options.host,
    known: options.checks,
    only: options.checks.map((c) => c.name),
    responseTimes: false,
  };
  const month = uptimeReporter({ ...base, fromMs: nowMs - PAGE_DAYS * DAY_MS, since: `${PAGE_DAYS}d` });
  const week = uptimeReporter({ ...base, fromMs: nowMs - 7 * DAY_MS, since: '7d' });
  const day = uptimeReporter({ ...base, fromMs: nowMs - DAY_MS, since: '24h' });
  const weekFrom = (nowMs - 7 * DAY_MS) / 1000;
  const dayFrom = (nowMs - DAY_MS) / 1000;
  const wanted = new Set(options.checks.map((check) => check.name));
  // the last SLOTS runs per check, kept in a ring (a month of runs passes through; only 90 stay)
  const rings = new Map<string, { t: number[]; cells: Cell[]; next: number }>();
  const charts = new Map<string, ChartPoint[]>();
  for (const name of wanted) {
    rings.set(name, { t: [], cells: [], next: 0 });
    charts.set(name, []);
  }

  const add = (run: HistoryRun) => {
    month.add(run);
    if (run.t >= weekFrom) week.add(run);
    if (run.t >= dayFrom) day.add(run);
    for (const name in run.c) {
      if (!wanted.has(name)) continue;
      const cell = run.c[name]!;
      const level = levelOf(cell);
      if (!level) continue;
      const ring = rings.get(name)!;
      ring.t[ring.next] = run.t;
      ring.cells[ring.next] = cell;
      ring.next = (ring.next + 1) % SLOTS;
      if (run.t >= dayFrom)
        charts.get(name)!.push({ t: run.t, ms: typeof cell[1] === 'number' ? cell[1] : null, level });
    }
  };

  const finish = (): StatusModel => {
    const monthReport = month.finish();
    const weekReport = week.finish();
    const dayReport = day.finish();
    const rows = options.checks.map((check): CheckRow => {
      const recent = slotsOf(rings.get(check.name)!);
      const last = recent[recent.length - 1];
      const points = charts.get(check.name)!;
      const measured = points.some((point) => point.ms !== null);
      return {
        name: check.name,
        type: check.type,
        current: last ? { t: last.t, level: last.level, message: last.message } : null,
        slots: recent,
        chart: measured ? points : [],
        chartStats: measured ? responseStats(points.flatMap((point) => (point.ms === null ? [] : [point.ms]))) : null,
        uptime: {
          day: dayReport.checks[check.name]?.uptime_percent ?? null,
          week: weekReport.checks[check.name]?.uptime_percent ?? null,
          month: monthReport.checks[check.name]?.uptime_percent ?? null,
        },
      };
    });
    const incidents = options.checks
      .flatMap((check) => monthReport.checks[check.name]?.incidents ?? [])
      .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
      .slice(0, MAX_INCIDENTS);
    return {
      host: options.host,
      now: nowMs,
      level: worst(rows.flatMap((row) => (row.current ? [row.current.level] : []))),
      rows,
      availability: { day: dayReport.availability, week: weekReport.availability, month: monthReport.availability },
      incidents,
    };
  };
  return { add, finish };
}

/** The ring's runs, oldest first. */
function slotsOf(ring: { t: number[]; cells: Cell[]; next: number }): Slot[] {
  const order =
    ring.t.length < SLOTS ? [...ring.t.keys()] : Array.from({ length: SLOTS }, (_, i) => (ring.next + i) % SLOTS);
  return order.map((i) => {
    const cell = ring.cells[i]!;
    return { t: ring.t[i]!, level: levelOf(cell)!, message: typeof cell[2] === 'string' ? cell[2] : '' };
  });
}
