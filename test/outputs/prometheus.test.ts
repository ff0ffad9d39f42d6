// The Prometheus textfile: written by a real run of the built binary, parsed with a real exposition-format parser,
// and every number matched against the same run's --json; label escaping; atomic replace; --only and unwritable paths.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import parsePrometheus, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format';
import { escapeLabelValue, prometheusText } from '../../src/outputs/prometheus.js';
import type { CheckResult, RunReport } from '../../src/types.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { reply, startServer, type TestServer } from '../helpers/http-server.js';

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-prom-'));
  server = await startServer({ '/health': reply(200, 'ok') });
  await ensureBuilt();
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function samples(families: PrometheusFamily[], name: string): PrometheusSample[] {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `family ${name} is in the file`);
  return family.metrics;
}
const one = (families: PrometheusFamily[], name: string, labels: Record<string, string>) => {
  const found = samples(families, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)} appears once`);
  return Number(found[0]!.value);
};
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

/** A plugin that prints perfdata: a node one-liner, so the test needs no Nagios package. */
const plugin = (out: string, code: number) =>
  JSON.stringify([process.execPath, '-e', `console.log(${JSON.stringify(out)}); process.exit(${code})`]);

describe('prometheus textfile', () => {
  test('a run writes the file; parsed by a real parser, its numbers are the --json numbers', async () => {
    // A mount path with a quote, a backslash and a newline in it: label values must be escaped to stay parseable.
    const odd = join(dir, 'we"ird\\dir\nname');
    mkdirSync(odd);
    const prom = join(dir, 'textfile', 'neuronova.prom');
    const config = join(dir, 'full.yml');
    writeFileSync(
      config,
      [
        `log_file: ${join(dir, 'full.log')}`,
        `state_dir: ${join(dir, 'state-full')}`,
        `outputs: { prometheus: ${JSON.stringify(prom)} }`,
        'checks:',
        `  - { name: api, type: http, url: "${server.url('/health')}" }`,
        `  - { name: port, type: tcp, host: 127.0.0.1, port: ${server.port} }`,
        `  - { name: root, type: disk, path: / }`,
        `  - { name: mounts, type: disk, paths: [/, ${JSON.stringify(odd)}] }`,
        '  - { name: memory, type: memory }',
        '  - { name: cpu, type: cpu }',
        `  - { name: queue, type: command, command: ${plugin("QUEUE WARNING - long | 'queue depth'=120;100;500;0 'wait'=0.25s;1;2", 1)} }`,
        `  - { name: broken, type: command, command: ${plugin('BROKEN CRITICAL - down', 2)} }`,
        '',
      ].join('\n'),
    );
    const run = await runCli(['--json', '--no-alert', '--config', config]);
    assert.equal(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout) as RunReport;
    const text = readFileSync(prom, 'utf8');
    const families = parsePrometheus(text);

    // HELP and TYPE for every family, each family once, every sample a gauge.
    for (const family of families) {
      assert.ok(family.help.length > 0, `${family.name} has HELP`);
      assert.equal(family.type, 'GAUGE', `${family.name} has TYPE gauge`);
      assert.equal(text.split(`# TYPE ${family.name} `).length, 2, `${family.name} is declared once`);
    }

    const levelNumber = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
    for (const [name, entry] of Object.entries(report.services)) {
      const labels = { check: name, type: entry.type };
      assert.equal(one(families, 'neuronova_check_status', labels), levelNumber[entry.level], `${name} status`);
      assert.equal(
        one(families, 'neuronova_check_up', labels),
        entry.level === 'OK' || entry.level === 'WARNING' ? 1 : 0,
        `${name} up`,
      );
      assert.ok(one(families, 'neuronova_check_duration_seconds', labels) >= 0);
      if (entry.response_time_ms !== undefined) {
        close(
          one(families, 'neuronova_check_response_time_seconds', labels),
          entry.response_time_ms / 1000,
          `${name} response time`,
        );
      }
    }
    assert.deepEqual(
      samples(families, 'neuronova_check_response_time_seconds')
        .map((s) => s.labels?.check)
        .sort(),
      ['api', 'broken', 'port', 'queue'],
    );
    assert.equal(one(families, 'neuronova_check_status', { check: 'queue' }), 1);
    assert.equal(one(families, 'neuronova_check_status', { check: 'broken' }), 2);

    // Resource gauges, as ratios of the JSON's percentages.
    const root = report.services.root!;
    close(
      one(families, 'neuronova_disk_used_ratio', { check: 'root', mountpoint: '/' }),
      (root.usage_percent as number) / 100,
      'disk /',
    );
    const mounts = report.services.mounts!.mounts as { path: string; usage_percent: number }[];
    assert.equal(mounts.length, 2);
    for (const mount of mounts) {
      close(
        one(families, 'neuronova_disk_used_ratio', { check: 'mounts', mountpoint: mount.path }),
        mount.usage_percent / 100,
        `disk ${mount.path}`,
      );
    }
    assert.ok(
      samples(families, 'neuronova_disk_used_ratio').some((s) => s.labels?.mountpoint === odd),
      'the odd path survives escaping',
    );
    close(
      one(families, 'neuronova_memory_used_ratio', { check: 'memory' }),
      (report.services.memory!.usage_percent as number) / 100,
      'memory',
    );
    const cpu = report.services.cpu!;
    const loads = cpu.load_avg as number[];
    ['1m', '5m', '15m'].forEach((window, i) => {
      close(
        one(families, 'neuronova_load_per_core', { check: 'cpu', window }),
        loads[i]! / (cpu.cores as number),
        `load ${window}`,
      );
    });

    // The plugin's perfdata, in its own units.
    assert.deepEqual(
      samples(families, 'neuronova_check_perfdata').map((s) => [
        s.labels?.check,
        s.labels?.label,
        s.labels?.uom,
        Number(s.value),
      ]),
      [
        ['queue', 'queue depth', '', 120],
        ['queue', 'wait', 's', 0.25],
      ],
    );

    // The run as a whole.
    assert.equal(one(families, 'neuronova_last_run_timestamp_seconds', {}), report.timestamp);
    assert.equal(one(families, 'neuronova_run_status', {}), 2);
    const runSeconds = one(families, 'neuronova_run_duration_seconds', {});
    assert.ok(
      runSeconds > 0 && runSeconds <= report.duration_ms / 1000,
      `run duration ${runSeconds}s within --json's ${report.duration_ms} ms`,
    );

    // Replaced atomically: no temp file left beside it (node_exporter would read a *.prom one), world-readable.
    assert.deepEqual(readdirSync(join(dir, 'textfile')), ['neuronova.prom']);
    assert.equal(statSync(prom).mode & 0o777, 0o644);
  });

  test('the next run replaces the file whole; a partial --only run leaves it alone', async () => {
    const prom = join(dir, 'replace', 'neuronova.prom');
    const config = join(dir, 'replace.yml');
    writeFileSync(
      config,
      `log_file: ${join(dir, 'replace.log')}\nstate_dir: ${join(dir, 'state-replace')}\noutputs: { prometheus: ${prom} }\nchecks:\n` +
        `  - { name: memory, type: memory }\n  - { name: port, type: tcp, host: 127.0.0.1, port: ${server.port} }\n`,
    );
    mkdirSync(join(dir, 'replace'));
    writeFileSync(prom, 'stale_metric 1\n');
    const first = await runCli(['--quiet', '--no-alert', '--config', config]);
    assert.equal(first.code, 0, first.stderr);
    const text = readFileSync(prom, 'utf8');
    assert.doesNotMatch(text, /stale_metric/);
    assert.deepEqual(
      samples(parsePrometheus(text), 'neuronova_check_status').map((s) => s.labels?.check),
      ['memory', 'port'],
    );

    const partial = await runCli(['--quiet', '--no-alert', '--only', 'memory', '--config', config]);
    assert.equal(partial.code, 0, partial.stderr);
    assert.equal(
      readFileSync(prom, 'utf8'),
      text,
      "an --only run would drop the other checks' series: it writes nothing",
    );
  });

  test('an unwritable textfile path: the run still finishes with its own level, and says why in the log and on stderr', async () => {
    // A path under a regular file fails for root too (ENOTDIR), where a read-only directory would not.
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const log = join(dir, 'unwritable.log');
    const config = join(dir, 'unwritable.yml');
    writeFileSync(
      config,
      `log_file: ${log}\nstate_dir: ${join(dir, 'state-unwritable')}\noutputs: { prometheus: ${join(blocker, 'x.prom')} }\nchecks:\n  - { name: memory, type: memory }\n`,
    );
    const run = await runCli(['--json', '--no-alert', '--config', config]);
    const level = (JSON.parse(run.stdout) as RunReport).level;
    assert.equal(
      run.code,
      { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 }[level],
      "the exit code is the checks' level, not 3",
    );
    assert.match(run.stderr, /cannot write the Prometheus textfile .*not-a-dir\/x\.prom/);
    assert.match(readFileSync(log, 'utf8'), /ERROR: prometheus: cannot write the Prometheus textfile/);
    assert.ok(!existsSync(join(blocker, 'x.prom')));
  });
});

describe('prometheusText', () => {
  const result = (over: Partial<CheckResult>): CheckResult => ({
    name: 'x',
    type: 'command',
    level: 'OK',
    message: 'fine',
    durationMs: 12.5,
    ...over,
  });
  const report: RunReport = {
    status: 'healthy',
    level: 'OK',
    timestamp: 1765000501,
    time: '2025-12-06T14:35:01+09:00',
    host: 'web-1',
    duration_ms: 212.4,
    services: {},
    summary: { ok: 1, warning: 0, critical: 0, unknown: 0 },
  };

  test('label values with quotes, backslashes and newlines are escaped and read back intact', () => {
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    const label = 'he said "hi"\\ \n next';
    const text = prometheusText([result({ perf: [{ label, value: 3, uom: 'c' }] })], report);
    const perf = samples(parsePrometheus(text), 'neuronova_check_perfdata');
    assert.equal(perf[0]!.labels?.label, label);
  });

  test('a plugin that repeats a label or prints a non-number keeps the file valid', () => {
    const text = prometheusText(
      [
        result({
          perf: [
            { label: 'a', value: 1 },
            { label: 'a', value: 2 },
            { label: 'b', value: Number.NaN },
          ],
        }),
      ],
      report,
    );
    const perf = samples(parsePrometheus(text), 'neuronova_check_perfdata');
    assert.deepEqual(
      perf.map((s) => [s.labels?.label, s.value]),
      [['a', '1']],
    );
  });

  test('families without samples are left out, the run-wide ones are always there', () => {
    const names = parsePrometheus(prometheusText([result({ type: 'systemd' })], report)).map((f) => f.name);
    assert.deepEqual(names, [
      'neuronova_check_status',
      'neuronova_check_up',
      'neuronova_check_duration_seconds',
      'neuronova_run_status',
      'neuronova_last_run_timestamp_seconds',
      'neuronova_run_duration_seconds',
    ]);
  });
});
