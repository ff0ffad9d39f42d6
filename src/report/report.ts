// The uptime report: per check uptime %, response-time statistics and incidents, and overall availability vs a target.
// Pure: history runs in, a plain object out (the `report` command prints it, the status page draws it).
import { severity, statusWord, type Level } from '../levels.js';
import { levelOf, type Cell, type HistoryRun } from '../history/line.js';
import { localIso } from '../util/time.js';
import { percentOf, responseStats, type ResponseStats } from './stats.js';

/** OK and WARNING count as up: a warning (slow, disk filling) is still serving. CRITICAL and UNKNOWN count as down. */
export const isUp = (level: Level): boolean => level === 'OK' || level === 'WARNING';

export interface Incident {
  check: string;
  /** First run seen down. */
  start: string;
  /** First run seen up again; null while ongoing. */
  end: string | null;
  ongoing: boolean;
  /** From the first down run to the first up run (or to the report's end while ongoing). */
  duration_s: number;
  worst_level: Level;
  first_message: string;
  /** Down runs in the incident. */
  runs: number;
}

export interface CheckReport {
  type?: string;
  runs: number;
  up_runs: number;
  down_runs: number;
  uptime_percent: number | null;
  levels: { ok: number; warning: number; critical: number; unknown: number };
  response_time_ms: ResponseStats | null;
  downtime_s: number;
  current: { level: Level; status: string; message: string; time: string } | null;
  incidents: Incident[];
}

export interface UptimeReport {
  host: string;
  since: string;
  from: string;
  to: string;
  availability: {
    /** Percent of runs in which every reported check was up. */
    percent: number | null;
    runs: number;
    up_runs: number;
    target_percent: number;
    met: boolean | null;
  };
  checks: Record<string, CheckReport>;
}

export interface ReportOptions {
  fromMs: number;
  toMs: number;
  /** How the window was asked for ("24h"), for people. */
  since: string;
  target: number;
  host: string;
  /** Checks of the config in order, with their types; they are listed even without runs. */
  known: { name: string; type: string }[];
  /** Only these checks (`--check`). */
  only?: string[];
  /** False skips response-time statistics (the status page draws its own from 24 h). */
  responseTimes?: boolean;
}

interface Open {
  start: number;
  worst: Level;
  message: string;
  runs: number;
}

interface Tally {
  runs: number;
  up: number;
  levels: Record<Level, number>;
  times: number[];
  downtime: number;
  incidents: Incident[];
  open?: Open;
  last?: { t: number; level: Level; message: string };
}

export function buildUptimeReport(runs: Iterable<HistoryRun>, options: ReportOptions): UptimeReport {
  const reporter = uptimeReporter(options);
  for (const run of runs) reporter.add(run);
  return reporter.finish();
}

export interface UptimeReporter {
  /** Count one run; runs come oldest first. */
  add(run: HistoryRun): void;
  finish(): UptimeReport;
}

/** The report built run by run, so a 90-day read never holds the whole history in memory. */
export function uptimeReporter(options: ReportOptions): UptimeReporter {
  const only = options.only ? new Set(options.only) : undefined;
  const tallies = new Map<string, Tally>();
  for (const { name } of options.known) if (!only || only.has(name)) tallies.set(name, newTally());
  for (const name of options.only ?? []) if (!tallies.has(name)) tallies.set(name, newTally());
  let counted = 0;
  let allUp = 0;
  const withTimes = options.responseTimes !== false;

  const add = (run: HistoryRun) => {
    let seen = false;
    let up = true;
    for (const name in run.c) {
      if (only && !only.has(name)) continue;
      const cell = run.c[name]!;
      const level = levelOf(cell);
      if (!level) continue;
      let tally = tallies.get(name);
      if (!tally) tallies.set(name, (tally = newTally()));
      seen = true;
      if (!isUp(level)) up = false;
      count(tally, name, run.t, level, cell, withTimes);
    }
    if (seen) {
      counted++;
      if (up) allUp++;
    }
  };

  const finish = (): UptimeReport => {
    const nowS = Math.floor(options.toMs / 1000);
    const checks: Record<string, CheckReport> = {};
    const types = new Map(options.known.map((check) => [check.name, check.type]));
    for (const [name, tally] of tallies) {
      if (tally.open) closeIncident(tally, name, null, nowS);
      const last = tally.last;
      checks[name] = {
        ...(types.has(name) ? { type: types.get(name)! } : {}),
        runs: tally.runs,
        up_runs: tally.up,
        down_runs: tally.runs - tally.up,
        uptime_percent: percentOf(tally.up, tally.runs),
        levels: {
          ok: tally.levels.OK,
          warning: tally.levels.WARNING,
          critical: tally.levels.CRITICAL,
          unknown: tally.levels.UNKNOWN,
        },
        response_time_ms: responseStats(tally.times),
        downtime_s: tally.downtime,
        current: last
          ? { level: last.level, status: statusWord(last.level), message: last.message, time: iso(last.t) }
          : null,
        incidents: tally.incidents,
      };
    }
    const percent = percentOf(allUp, counted);
    return {
      host: options.host,
      since: options.since,
      from: localIso(new Date(options.fromMs)),
      to: localIso(new Date(options.toMs)),
      availability: {
        percent,
        runs: counted,
        up_runs: allUp,
        target_percent: options.target,
        met: percent === null ? null : percent >= options.target,
      },
      checks,
    };
  };
  return { add, finish };
}

function newTally(): Tally {
  return {
    runs: 0,
    up: 0,
    levels: { OK: 0, WARNING: 0, CRITICAL: 0, UNKNOWN: 0 },
    times: [],
    downtime: 0,
    incidents: [],
  };
}

function count(tally: Tally, name: string, t: number, level: Level, cell: Cell, withTimes: boolean): void {
  const message = typeof cell[2] === 'string' ? cell[2] : '';
  tally.runs++;
  tally.levels[level]++;
  if (withTimes && typeof cell[1] === 'number') tally.times.push(cell[1]);
  tally.last = { t, level, message };
  if (isUp(level)) {
    tally.up++;
    if (tally.open) closeIncident(tally, name, t, t);
  } else if (tally.open) {
    tally.open.runs++;
    if (severity(level) > severity(tally.open.worst)) tally.open.worst = level;
  } else {
    tally.open = { start: t, worst: level, message, runs: 1 };
  }
}

/** `end` is the run that found it up again, or null while still down (measured to `untilS`). */
function closeIncident(tally: Tally, check: string, end: number | null, untilS: number): void {
  const open = tally.open!;
  const duration = Math.max(0, (end ?? untilS) - open.start);
  tally.downtime += duration;
  tally.incidents.push({
    check,
    start: iso(open.start),
    end: end === null ? null : iso(end),
    ongoing: end === null,
    duration_s: duration,
    worst_level: open.worst,
    first_message: open.message,
    runs: open.runs,
  });
  tally.open = undefined;
}

const iso = (seconds: number) => localIso(new Date(seconds * 1000));
