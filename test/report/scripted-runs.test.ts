// A scripted sequence of real runs (a real HTTP service and a plugin going down and up, a controllable clock):
// the `report` command's uptime and incidents must equal what happened, run for run.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { reportCommand } from '../../src/commands/report.js';
import { loadConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/run.js';
import type { UptimeReport } from '../../src/report/report.js';
import { localIso } from '../../src/util/time.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const START = Date.UTC(2025, 11, 6, 9, 0);
const EVERY = 5 * 60_000;
const at = (run: number) => localIso(new Date(START + run * EVERY));

// What happens, run by run. api: the HTTP service (up 200, down 503, slow = up but 2.5 s, past max_response_ms 1.5 s → WARNING;
// wide margins so a loaded CI machine never turns an "up" run slow).
// worker: a Nagios plugin whose exit code and message are scripted (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
const API = ['up', 'up', 'down', 'down', 'down', 'up', 'slow', 'up', 'down', 'up', 'up', 'down'] as const;
const WORKER: [number, string][] = [
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
  [2, 'queue stuck'],
  [3, 'cannot reach broker'],
  [0, 'jobs flowing'],
  [1, 'backlog 500'],
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
  [0, 'jobs flowing'],
];

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function report(configPath: string, flags: Record<string, unknown>, nowMs: number): Promise<Captured> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
  const code = await reportCommand({ config: configPath, ...flags }, io, () => nowMs);
  return { code, out, err };
}

describe('report after a scripted sequence of runs', () => {
  let server: TestServer;
  let dir: string;
  let configPath: string;
  let api: (typeof API)[number] = 'up';
  const levels: string[][] = [];

  before(async () => {
    server = await startServer({
      '/health': (_req, res) => {
        if (api === 'down') return void res.writeHead(503).end('maintenance');
        if (api === 'slow') return void setTimeout(() => res.writeHead(200).end('ok'), 2500);
        res.writeHead(200).end('ok');
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'nn-scripted-'));
    const plugin = join(dir, 'worker-state');
    configPath = join(dir, 'config.yml');
    writeFileSync(
      configPath,
      [
        `log_file: ${join(dir, 'health.log')}`,
        `state_dir: ${join(dir, 'state')}`,
        'checks:',
        `  - { name: api, type: http, url: "${server.url('/health')}", timeout: 5s, expect: { max_response_ms: 1500 } }`,
        `  - { name: worker, type: command, command: [sh, -c, 'read code msg < "$0"; echo "$msg"; exit $code', "${plugin}"] }`,
        '',
      ].join('\n'),
    );
    const config = loadConfig({ path: configPath, explicit: true }, {});
    for (let run = 0; run < API.length; run++) {
      api = API[run]!;
      writeFileSync(plugin, `${WORKER[run]![0]} ${WORKER[run]![1]}\n`);
      const outcome = await runChecks({
        config,
        alert: false,
        onProblem: () => {},
        host: 'web-1',
        clock: () => new Date(START + run * EVERY),
      });
      levels.push(outcome.results.map((r) => r.level));
    }
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the runs did what the script says', () => {
    assert.deepEqual(
      levels.map((l) => l[0]),
      ['OK', 'OK', 'CRITICAL', 'CRITICAL', 'CRITICAL', 'OK', 'WARNING', 'OK', 'CRITICAL', 'OK', 'OK', 'CRITICAL'],
    );
    assert.deepEqual(
      levels.map((l) => l[1]),
      ['OK', 'OK', 'OK', 'CRITICAL', 'UNKNOWN', 'OK', 'WARNING', 'OK', 'OK', 'OK', 'OK', 'OK'],
    );
  });

  test('--json: uptime, runs, levels and incidents equal the script, run for run', async () => {
    const now = START + 11 * EVERY + 60_000;
    const { code, out, err } = await report(configPath, { json: true, since: '24h' }, now);
    assert.equal(code, 0);
    assert.equal(err, '');
    const result = JSON.parse(out) as UptimeReport & { history: { files: number; skipped_lines: number } };
    const apiReport = result.checks.api!;
    assert.equal(apiReport.type, 'http');
    assert.equal(apiReport.runs, 12);
    assert.equal(apiReport.up_runs, 7);
    assert.equal(apiReport.uptime_percent, 58.333);
    assert.deepEqual(apiReport.levels, { ok: 6, warning: 1, critical: 5, unknown: 0 });
    assert.deepEqual(
      apiReport.incidents.map(({ start, end, ongoing, duration_s, worst_level, first_message, runs }) => ({
        start,
        end,
        ongoing,
        duration_s,
        worst_level,
        first_message,
        runs,
      })),
      [
        {
          start: at(2),
          end: at(5),
          ongoing: false,
          duration_s: 900,
          worst_level: 'CRITICAL',
          first_message: 'HTTP 503 Service Unavailable',
          runs: 3,
        },
        {
          start: at(8),
          end: at(9),
          ongoing: false,
          duration_s: 300,
          worst_level: 'CRITICAL',
          first_message: 'HTTP 503 Service Unavailable',
          runs: 1,
        },
        {
          start: at(11),
          end: null,
          ongoing: true,
          duration_s: 60,
          worst_level: 'CRITICAL',
          first_message: 'HTTP 503 Service Unavailable',
          runs: 1,
        },
      ],
    );
    assert.equal(apiReport.downtime_s, 1260);
    assert.equal(apiReport.response_time_ms!.measured, 12);
    assert.ok(apiReport.response_time_ms!.max >= 2500, 'the slow run is the maximum');
    assert.equal(apiReport.current!.level, 'CRITICAL');

    const worker = result.checks.worker!;
    assert.equal(worker.runs, 12);
    assert.equal(worker.uptime_percent, 83.333);
    assert.deepEqual(worker.incidents, [
      {
        check: 'worker',
        start: at(3),
        end: at(5),
        ongoing: false,
        duration_s: 600,
        worst_level: 'CRITICAL',
        first_message: 'queue stuck',
        runs: 2,
      },
    ]);
    // a command check's time is the plugin's wall time (docs/checks-timing.md): all 12 runs measured
    assert.equal(worker.response_time_ms!.measured, 12);

    // every check up in runs 0, 1, 5, 6, 7, 9, 10
    assert.deepEqual(result.availability, { percent: 58.333, runs: 12, up_runs: 7, target_percent: 99.9, met: false });
    assert.equal(result.history.skipped_lines, 0);
  });

  test('the terminal table says the same, and the incidents newest first with "ongoing"', async () => {
    const { out } = await report(configPath, { since: '24h' }, START + 11 * EVERY + 60_000);
    assert.match(out, /^Uptime report · .* · last 24h \(/);
    assert.match(out, /^ {2}api +58\.33% +12 +.*3 \(1 ongoing\) +CRITICAL$/m);
    // the plugin's wall times fill its AVG/P50/P95/MAX (docs/checks-timing.md)
    assert.match(out, /^ {2}worker +83\.33% +12 +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms +10m +1 +OK$/m);
    assert.match(out, /^Availability 58\.33% \(every check up in 7 of 12 runs\) · target 99\.9%: MISSED$/m);
    const incidentLines = out.split('\n').filter((line) => /^ {2}(api|worker) +\d{4}-/.test(line));
    assert.equal(incidentLines.length, 4);
    assert.match(incidentLines[0]!, /api +.* → ongoing +1m +CRITICAL +HTTP 503 Service Unavailable$/);
    assert.match(incidentLines.at(-1)!, /api +.* → \S+ +15m +CRITICAL +HTTP 503 Service Unavailable$/);
  });

  test('--check and a shorter window narrow the report to what happened in them', async () => {
    // the last 30 minutes, measured at the last run: runs 6..11
    const { out } = await report(configPath, { json: true, since: '25m', check: 'api' }, START + 11 * EVERY);
    const result = JSON.parse(out) as UptimeReport;
    assert.deepEqual(Object.keys(result.checks), ['api']);
    assert.equal(result.checks.api!.runs, 6);
    assert.equal(result.checks.api!.up_runs, 4);
    assert.deepEqual(
      result.checks.api!.incidents.map((i) => [i.start, i.end]),
      [
        [at(8), at(9)],
        [at(11), null],
      ],
    );
  });

  test('a torn last line (a run cut short mid-write) changes nothing but a note about it', async () => {
    const historyDir = join(dir, 'state', 'history');
    const [file] = readdirSync(historyDir);
    appendFileSync(join(historyDir, file!), '{"t":1765013');
    const { code, out } = await report(configPath, { json: true, since: '24h' }, START + 11 * EVERY + 60_000);
    assert.equal(code, 0);
    const result = JSON.parse(out) as UptimeReport & { history: { skipped_lines: number } };
    assert.equal(result.history.skipped_lines, 1);
    assert.equal(result.checks.api!.runs, 12);
    const text = await report(configPath, {}, START + 11 * EVERY + 60_000);
    assert.match(text.out, /1 unreadable history line skipped/);
  });
});
