// Configs that cannot work are refused (docs/config-rules.md): depends_on cycles, warning above critical, durations out
// of range, too big a file, too many checks, a YAML alias bomb; a file without `checks:` runs the built-in set and says so.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { configOrigin } from '../../src/config/origin.js';
import { ConfigError } from '../../src/util/errors.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

function problemsOf(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'rules.yml', {});
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('the config was accepted');
}

const tcp = (name: string, extra = '') => `  - { name: ${name}, type: tcp, host: 127.0.0.1, port: 1${extra} }`;

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-rules-'));
  await ensureBuilt();
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('depends_on cycles', () => {
  test('a two-check cycle is named once, in order', () => {
    assert.deepEqual(
      problemsOf(['checks:', tcp('a'), tcp('b', ', depends_on: [c]'), tcp('c', ', depends_on: [b]'), ''].join('\n')),
      ['checks: depends_on cycle b → c → b (none of them would ever alert; remove one depends_on)'],
    );
  });

  test('a longer cycle and a separate one are both named; a chain without a loop is fine', () => {
    const problems = problemsOf(
      [
        'checks:',
        tcp('a', ', depends_on: [b]'),
        tcp('b', ', depends_on: [c]'),
        tcp('c', ', depends_on: [a]'),
        tcp('x', ', depends_on: [y]'),
        tcp('y', ', depends_on: [x, a]'),
        '',
      ].join('\n'),
    );
    assert.deepEqual(problems, [
      'checks: depends_on cycle a → b → c → a (none of them would ever alert; remove one depends_on)',
      'checks: depends_on cycle x → y → x (none of them would ever alert; remove one depends_on)',
    ]);
    assert.doesNotThrow(() =>
      parseConfigText(
        ['checks:', tcp('a'), tcp('b', ', depends_on: [a]'), tcp('c', ', depends_on: [a, b]'), ''].join('\n'),
        'ok.yml',
        {},
      ),
    );
  });

  test('a 5,000-check chain ending in a loop is found without overflowing the stack', () => {
    const lines = ['checks:'];
    for (let i = 0; i < 5000; i++) lines.push(tcp(`c${i}`, `, depends_on: [c${(i + 1) % 5000}]`));
    const problems = problemsOf(lines.join('\n'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^checks: depends_on cycle c0 → c1 → .* → c4999 → c0 \(/);
  });
});

describe('warning above critical', () => {
  test('at the thresholds level, for disk, memory and cpu', () => {
    const problems = problemsOf(
      'checks: []\nthresholds:\n  disk: { warning: 95, critical: 90 }\n  memory: { warning: 91, critical: 90 }\n  cpu: { warning: 300, critical: 200 }\n',
    );
    assert.deepEqual(problems, [
      'thresholds.disk.warning: 95 must not be above critical (90): a value between them would be CRITICAL before it is ever WARNING',
      'thresholds.memory.warning: 91 must not be above critical (90): a value between them would be CRITICAL before it is ever WARNING',
      'thresholds.cpu.warning: 300 must not be above critical (200): a value between them would be CRITICAL before it is ever WARNING',
    ]);
  });

  test('per check, also against the thresholds it falls back to; log counts too', () => {
    const problems = problemsOf(
      [
        'thresholds: { disk: { warning: 80, critical: 90 } }',
        'checks:',
        '  - { name: root, type: disk, path: /, warning: 95, critical: 90 }',
        '  - { name: var, type: disk, path: /var, warning: 92 }',
        '  - { name: mem, type: memory, critical: 50 }',
        '  - { name: errors, type: log, path: /var/log/app.log, pattern: ERROR, warning: 10, critical: 3 }',
        '  - { name: fine, type: cpu, warning: 50, critical: 60 }',
        '',
      ].join('\n'),
    );
    assert.deepEqual(problems, [
      'checks[0].warning: 95 must not be above critical (90): a value between them would be CRITICAL before it is ever WARNING',
      'checks[1].warning: 92 must not be above critical (90 from thresholds.disk): a value between them would be CRITICAL before it is ever WARNING',
      'checks[2].critical: 50 must not be below warning (80 from thresholds.memory): a value between them would be CRITICAL before it is ever WARNING',
      'checks[3].warning: 10 must not be above critical (3): a value between them would be CRITICAL before it is ever WARNING',
    ]);
  });
});

describe('duration ranges', () => {
  test('deadline, timeout (top level and per check), heartbeat timeout and repeat, with the range in the message', () => {
    const problems = problemsOf(
      [
        'deadline: 0s',
        'timeout: 25d',
        'outputs: { heartbeat: { url: "http://127.0.0.1:1/ping", timeout: 2h } }',
        'alerts: { repeat: 31d }',
        'checks:',
        tcp('a', ', timeout: 0'),
        tcp('b', ', timeout: 2h'),
        tcp('ok', ', timeout: 5s'),
        '',
      ].join('\n'),
    );
    assert.deepEqual(problems, [
      'deadline: 0s is out of range: must be more than 0 and at most 1h',
      'timeout: 25d is out of range: must be more than 0 and at most the deadline (1h)',
      'checks[0].timeout: 0 is out of range: must be more than 0 and at most the deadline (1h)',
      'checks[1].timeout: 2h is out of range: must be more than 0 and at most the deadline (1h)',
      'outputs.heartbeat.timeout: 2h is out of range: must be at most the deadline (1h)',
      'alerts.repeat: 31d is out of range: must be 0 (never) or at most 30d',
    ]);
  });

  test("past setTimeout's limit (25d) and a timeout above a valid deadline", () => {
    assert.deepEqual(problemsOf('checks: []\ndeadline: 25d\n'), [
      'deadline: 25d is out of range: must be more than 0 and at most 1h',
    ]);
    assert.deepEqual(problemsOf('checks: []\ndeadline: 30s\ntimeout: 45s\n'), [
      'timeout: 45s is out of range: must be more than 0 and at most the deadline (30s)',
    ]);
    assert.deepEqual(problemsOf('checks: []\ntimeout: 0\n'), [
      'timeout: 0 is out of range: must be more than 0 and at most the deadline (1m)',
    ]);
    const edge = parseConfigText('checks: []\ndeadline: 1h\ntimeout: 1h\nalerts: { repeat: 30d }\n', 'edge.yml', {});
    assert.deepEqual([edge.deadline, edge.timeout, edge.alerts.repeat], [3_600_000, 3_600_000, 30 * 86_400_000]);
  });
});

describe('size, count and alias limits', () => {
  test('a file over 1 MiB is refused, naming the limit', () => {
    const big = `checks: []\n# ${'x'.repeat(1024 * 1024)}\n`;
    assert.deepEqual(problemsOf(big), [
      "(file): 1.0 MiB is more than a config file may hold (1 MiB); keep checks the host really has, or split hosts' checks into their own files",
    ]);
  });

  test('more than 5,000 checks is one line, not one per check; 5,000 are accepted', () => {
    const checks = (n: number) =>
      ['checks:', ...Array.from({ length: n }, (_, i) => `  - {name: c${i}, type: cpu}`)].join('\n');
    assert.deepEqual(problemsOf(checks(5001)), [
      "checks: 5001 checks is more than the 5000 a config may list; split them over several hosts' configs",
    ]);
    assert.equal(parseConfigText(checks(5000), 'many.yml', {}).checks.length, 5000);
  });

  test('a YAML alias bomb is one config error', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    assert.deepEqual(problemsOf(lines.join('\n')), [
      '(file): more than 1000 YAML aliases (*name) to expand; write the values out, or use fewer anchors',
    ]);
  });
});

describe('a file that lists no checks', () => {
  test('an empty file, or one without checks:, runs the built-in NeuroNova checks and says why', () => {
    for (const text of ['', 'log_file: /tmp/nn.log\n', 'checks:\n']) {
      const config = parseConfigText(text, '/etc/neuronova/health-check.yml', {});
      assert.deepEqual(
        config.checks.map((c) => c.name),
        ['nginx', 'django', 'django-api', 'flask', 'flask-api', 'disk', 'memory', 'cpu'],
      );
      assert.equal(configOrigin(config), ' with the built-in checks (no checks: in /etc/neuronova/health-check.yml)');
    }
    // an explicit empty list is a choice (a config used only for test-alert): nothing runs
    assert.deepEqual(parseConfigText('checks: []\n', 'x.yml', {}).checks, []);
  });

  test('config check says the same, exit 0', async () => {
    const path = join(dir, 'no-checks.yml');
    writeFileSync(path, 'log_file: /tmp/nn.log\n');
    const result = await runCli(['config', 'check', '--config', path]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^${path}: OK; it lists no checks, so the built-in NeuroNova checks run \\(no checks: in ${path}\\)\n`,
      ),
    );
    assert.match(result.stdout, /8 checks would run:/);
  });
});

describe('config check refuses what cannot work, exit 3, one line each', () => {
  test('cycle, warning > critical, deadline: 0s and timeout: 25d', async () => {
    const path = join(dir, 'bad.yml');
    writeFileSync(
      path,
      [
        'deadline: 0s',
        'timeout: 25d',
        'thresholds: { disk: { warning: 95, critical: 90 } }',
        'checks:',
        tcp('b', ', depends_on: [c]'),
        tcp('c', ', depends_on: [b]'),
        '',
      ].join('\n'),
    );
    const result = await runCli(['config', 'check', '--config', path]);
    assert.equal(result.code, 3);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      `neuronova-health-check: ${path}: deadline: 0s is out of range: must be more than 0 and at most 1h`,
      `neuronova-health-check: ${path}: timeout: 25d is out of range: must be more than 0 and at most the deadline (1h)`,
      `neuronova-health-check: ${path}: thresholds.disk.warning: 95 must not be above critical (90): a value between them would be CRITICAL before it is ever WARNING`,
      `neuronova-health-check: ${path}: checks: depends_on cycle b → c → b (none of them would ever alert; remove one depends_on)`,
    ]);
  });
});
