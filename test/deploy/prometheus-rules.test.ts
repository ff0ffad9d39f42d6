// deploy/prometheus and deploy/grafana: the rules pass promtool's own check and unit tests, the dashboard's queries are
// valid PromQL, and every neuronova_ metric either of them names is one a real run of the built binary writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import parsePrometheus from 'parse-prometheus-text-format';
import { findBinary, skipUnless } from '../helpers/binaries.js';
import { ensureBuilt, REPO, runCli } from '../helpers/cli.js';

const RULES = join(REPO, 'deploy', 'prometheus', 'neuronova.rules.yml');
const RULE_TESTS = join(REPO, 'deploy', 'prometheus', 'neuronova.rules.test.yml');
const DASHBOARD = join(REPO, 'deploy', 'grafana', 'neuronova.json');
const promtool = findBinary('promtool');
const skip = skipUnless(Boolean(promtool), 'promtool', 'prometheus');

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { expr: string; refId: string }[];
}
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query: { query: string } }[] };
};
const queries = [
  ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
  ...dashboard.templating.list.map((v) => v.query.query),
];

/** Grafana's variables replaced by values Prometheus accepts, so promtool can parse the query. */
const concrete = (expr: string) =>
  expr.replaceAll('$__range', '1h').replaceAll('$instance', '.*').replaceAll('$check', '.*');

function promtoolRun(args: string[]) {
  const result = spawnSync(promtool!, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `promtool ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

let dir: string;
let listener: Server;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-rules-'));
  listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  await ensureBuilt();
});
after(() => {
  listener.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Prometheus rules and Grafana dashboard', () => {
  test('promtool check rules accepts the shipped rules', { skip }, () => {
    assert.match(promtoolRun(['check', 'rules', RULES]), /SUCCESS: \d+ rules found/);
  });

  test('promtool test rules: failing checks, the dead man’s switch, disk filling and run errors fire when they should', {
    skip,
  }, () => {
    assert.match(promtoolRun(['test', 'rules', RULE_TESTS]), /SUCCESS/);
  });

  test('every dashboard query is valid PromQL (checked as recording rules by promtool)', { skip }, () => {
    const file = join(dir, 'dashboard-queries.yml');
    const rules = queries.map(
      (expr, i) =>
        `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(concrete(expr.replace(/^label_values\((.*), \w+\)$/, '$1')))}`,
    );
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
    assert.match(promtoolRun(['check', 'rules', file]), new RegExp(`SUCCESS: ${queries.length} rules found`));
  });

  test('the dashboard is a Grafana 10+ dashboard: schema, unique panel ids, every panel placed and queried', () => {
    assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`);
    assert.equal(dashboard.uid, 'neuronova-health');
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    for (const panel of dashboard.panels) {
      assert.ok(
        panel.gridPos.w > 0 && panel.gridPos.h > 0 && panel.gridPos.x + panel.gridPos.w <= 24,
        `${panel.title} fits the 24-column grid`,
      );
      assert.ok(
        panel.targets.length > 0 && panel.targets.every((t) => t.expr.includes('neuronova_')),
        `${panel.title} queries neuronova_ metrics`,
      );
    }
    for (const title of [
      'Status per host and check',
      'Response times',
      'Uptime over the range (OK or WARNING)',
      'Incidents (level over time)',
    ]) {
      assert.ok(
        dashboard.panels.some((p) => p.title === title),
        `panel "${title}"`,
      );
    }
  });

  test('every neuronova_ metric the rules and the dashboard name is written by a real run, with the labels they use', async () => {
    const prom = join(dir, 'neuronova.prom');
    const config = join(dir, 'config.yml');
    const failing = JSON.stringify([
      process.execPath,
      '-e',
      "console.log('QUEUE CRITICAL - stuck | depth=9'); process.exit(2)",
    ]);
    writeFileSync(
      config,
      [
        `log_file: ${join(dir, 'health.log')}`,
        `state_dir: ${join(dir, 'state')}`,
        `outputs: { prometheus: ${JSON.stringify(prom)} }`,
        'checks:',
        `  - { name: port, type: tcp, host: 127.0.0.1, port: ${(listener.address() as { port: number }).port} }`,
        '  - { name: disk, type: disk, path: / }',
        '  - { name: memory, type: memory }',
        '  - { name: cpu, type: cpu }',
        `  - { name: queue, type: command, command: ${failing} }`,
        '',
      ].join('\n'),
    );
    const run = await runCli(['--quiet', '--no-alert', '--config', config]);
    assert.equal(run.code, 2, run.stderr);
    const families = parsePrometheus(readFileSync(prom, 'utf8'));
    const written = new Map(
      families.map((f) => [f.name, new Set(f.metrics.flatMap((m) => Object.keys(m.labels ?? {})))]),
    );

    const named = `${readFileSync(RULES, 'utf8')}\n${queries.join('\n')}`;
    const used = new Set(named.match(/neuronova_[a-z_]+/g));
    assert.ok(used.size >= 8, `rules and dashboard use ${[...used].join(', ')}`);
    for (const name of used)
      assert.ok(written.has(name), `${name} is named in deploy/ but a run writes no such metric`);
    // Labels the rules and panels select or print on (instance and job come from the scrape, not from us).
    for (const [metric, label] of [
      ['neuronova_check_status', 'check'],
      ['neuronova_check_status', 'type'],
      ['neuronova_disk_used_ratio', 'mountpoint'],
      ['neuronova_load_per_core', 'window'],
    ] as const) {
      assert.ok(written.get(metric)?.has(label), `${metric} carries the label ${label}`);
    }
  });
});
