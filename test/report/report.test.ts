// The uptime report computed from history runs: uptime %, incidents, response-time statistics, availability vs target.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeRun, encodeRun, type HistoryRun } from '../../src/history/line.js';
import type { Level } from '../../src/levels.js';
import { buildUptimeReport, type ReportOptions } from '../../src/report/report.js';
import { percentile } from '../../src/report/stats.js';
import { localIso } from '../../src/util/time.js';
import { MINUTE, resultOf, type Step } from '../helpers/history.js';

const START = Date.UTC(2025, 11, 6, 12, 0);
const at = (i: number) => START + i * 5 * MINUTE;
const iso = (i: number) => localIso(new Date(at(i)));

/** Runs every 5 minutes from START; each entry maps check name → step. */
function runs(script: Record<string, Step>[]): HistoryRun[] {
  return script.map(
    (checks, i) =>
      decodeRun(
        encodeRun(
          new Date(at(i)),
          Object.entries(checks).map(([n, s]) => resultOf(n, s)),
        ),
      )!,
  );
}

function options(extra: Partial<ReportOptions> = {}): ReportOptions {
  return { fromMs: START - 60 * MINUTE, toMs: at(20), since: '24h', target: 99.9, host: 'web-1', known: [], ...extra };
}

describe('uptime report', () => {
  test('OK and WARNING are up, CRITICAL and UNKNOWN are down; an incident runs from the first down run to the first up run', () => {
    const levels: Level[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN', 'CRITICAL', 'OK', 'OK', 'UNKNOWN', 'OK', 'OK'];
    const report = buildUptimeReport(
      runs(levels.map((level, i) => ({ api: { level, message: `run ${i}` } }))),
      options(),
    );
    const api = report.checks.api!;
    assert.equal(api.runs, 10);
    assert.equal(api.up_runs, 6);
    assert.equal(api.down_runs, 4);
    assert.equal(api.uptime_percent, 60);
    assert.deepEqual(api.levels, { ok: 5, warning: 1, critical: 2, unknown: 2 });
    assert.deepEqual(api.incidents, [
      {
        check: 'api',
        start: iso(2),
        end: iso(5),
        ongoing: false,
        duration_s: 900,
        worst_level: 'CRITICAL',
        first_message: 'run 2',
        runs: 3,
      },
      {
        check: 'api',
        start: iso(7),
        end: iso(8),
        ongoing: false,
        duration_s: 300,
        worst_level: 'UNKNOWN',
        first_message: 'run 7',
        runs: 1,
      },
    ]);
    assert.equal(api.downtime_s, 1200);
    assert.deepEqual(api.current, { level: 'OK', status: 'healthy', message: 'run 9', time: iso(9) });
  });

  test('a check still down at the end has an ongoing incident measured up to the report time', () => {
    const report = buildUptimeReport(
      runs([{ db: 'OK' }, { db: 'CRITICAL' }, { db: 'CRITICAL' }]),
      options({ toMs: at(3) }),
    );
    const [incident] = report.checks.db!.incidents;
    assert.equal(incident!.ongoing, true);
    assert.equal(incident!.end, null);
    assert.equal(incident!.start, iso(1));
    assert.equal(incident!.duration_s, 600);
    assert.equal(report.checks.db!.current!.level, 'CRITICAL');
  });

  test('response times: average, nearest-rank p50 / p95, maximum; runs without a time are left out', () => {
    const times = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
    const report = buildUptimeReport(
      runs([...times.map((ms) => ({ web: { level: 'OK' as const, ms } })), { web: 'CRITICAL' }]),
      options(),
    );
    assert.deepEqual(report.checks.web!.response_time_ms, { measured: 10, avg: 145, p50: 50, p95: 1000, max: 1000 });
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([5], 95), 5);
    const systemd = buildUptimeReport(runs([{ nginx: 'OK' }]), options());
    assert.equal(systemd.checks.nginx!.response_time_ms, null);
  });

  test('availability counts runs in which every check was up, against the target', () => {
    const script: Record<string, Step>[] = Array.from({ length: 1000 }, (_, i) => ({
      a: i === 10 ? 'CRITICAL' : 'OK',
      b: 'WARNING',
    }));
    const met = buildUptimeReport(runs(script), options({ toMs: at(1000) }));
    assert.deepEqual(met.availability, { percent: 99.9, runs: 1000, up_runs: 999, target_percent: 99.9, met: true });
    script[500] = { a: 'OK', b: 'UNKNOWN' };
    const missed = buildUptimeReport(runs(script), options({ toMs: at(1000) }));
    assert.equal(missed.availability.percent, 99.8);
    assert.equal(missed.availability.met, false);
    assert.equal(missed.checks.a!.uptime_percent, 99.9);
  });

  test('percentages are cut, never rounded up to meet the target', () => {
    // 8,990 up of 9,000 is 99.8888…%: shown as 99.888, which misses 99.89
    const script: Record<string, Step>[] = Array.from({ length: 9000 }, (_, i) => ({ a: i < 10 ? 'CRITICAL' : 'OK' }));
    const report = buildUptimeReport(runs(script), options({ toMs: at(9000), target: 99.89 }));
    assert.equal(report.checks.a!.uptime_percent, 99.888);
    assert.equal(report.availability.met, false);
  });

  test('--check keeps one check; configured checks without runs are listed with none; types come from the config', () => {
    const history = runs([
      { a: 'OK', b: 'CRITICAL' },
      { a: 'OK', b: 'CRITICAL' },
    ]);
    const only = buildUptimeReport(history, options({ only: ['a'], known: [{ name: 'a', type: 'http' }] }));
    assert.deepEqual(Object.keys(only.checks), ['a']);
    assert.equal(only.checks.a!.type, 'http');
    assert.equal(only.availability.percent, 100);
    const all = buildUptimeReport(
      history,
      options({
        known: [
          { name: 'new', type: 'tcp' },
          { name: 'a', type: 'http' },
        ],
      }),
    );
    assert.deepEqual(Object.keys(all.checks), ['new', 'a', 'b']);
    assert.equal(all.checks.new!.runs, 0);
    assert.equal(all.checks.new!.uptime_percent, null);
    assert.equal(all.availability.percent, 0);
  });

  test('no runs at all: nothing to measure, no verdict', () => {
    const report = buildUptimeReport([], options());
    assert.deepEqual(report.availability, { percent: null, runs: 0, up_runs: 0, target_percent: 99.9, met: null });
  });
});
