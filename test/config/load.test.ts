// Finding and loading the config (docs/reference.md#configuration): built-in defaults when the default path has no file, explicit paths that
// must exist, env NEURONOVA_HEALTH_CONFIG, YAML syntax errors with line and column, and the shipped example.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONFIG_ENV, DEFAULT_CONFIG_PATH } from '../../src/config/defaults.js';
import { loadConfig, locateConfig, parseConfigText } from '../../src/config/load.js';
import { runChecks } from '../../src/run.js';
import { ConfigError } from '../../src/util/errors.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The problems a ConfigError lists, or a failure if loading did not throw one. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('the config was accepted');
}

describe('locateConfig', () => {
  test('--config wins, then the env variable, then the default path', () => {
    assert.deepEqual(locateConfig('/srv/a.yml', { [CONFIG_ENV]: '/srv/b.yml' }), {
      path: '/srv/a.yml',
      explicit: true,
    });
    assert.deepEqual(locateConfig(undefined, { [CONFIG_ENV]: '/srv/b.yml' }), { path: '/srv/b.yml', explicit: true });
    assert.deepEqual(locateConfig(undefined, {}), { path: DEFAULT_CONFIG_PATH, explicit: false });
    assert.equal(DEFAULT_CONFIG_PATH, '/etc/neuronova/health-check.yml');
    assert.equal(CONFIG_ENV, 'NEURONOVA_HEALTH_CONFIG');
  });
});

describe('loadConfig', () => {
  test('no file at the default path: the built-in NeuroNova defaults (docs/reference.md#top-level-keys)', () => {
    const config = loadConfig({ path: join(dir, 'absent.yml'), explicit: false }, {});
    assert.equal(config.source, null, 'marked as built-in, so the log can say so');
    assert.equal(config.log_file, '/var/log/neuronova/health_check.log');
    assert.equal(config.state_dir, '/var/lib/neuronova');
    assert.equal(config.timeout, 10_000);
    assert.equal(config.deadline, 60_000);
    assert.deepEqual(config.thresholds, {
      disk: { warning: 80, critical: 90 },
      memory: { warning: 80, critical: 90 },
      cpu: { warning: 70, critical: 90 },
    });
    assert.deepEqual(
      config.checks.map((c) => [c.name, c.type, c.unit ?? c.url ?? c.path ?? null]),
      [
        ['nginx', 'systemd', 'nginx'],
        ['django', 'systemd', 'gunicorn_django'],
        ['django-api', 'http', 'http://127.0.0.1:8000/api/health/'],
        ['flask', 'systemd', 'gunicorn_flask'],
        ['flask-api', 'http', 'http://127.0.0.1:9000/health'],
        ['disk', 'disk', '/'],
        ['memory', 'memory', null],
        ['cpu', 'cpu', null],
      ],
    );
    assert.ok(config.checks.every((c) => c.timeout === 10_000 && c.enabled));
    assert.deepEqual(
      [
        config.alerts.on,
        config.alerts.after,
        config.alerts.recover_after,
        config.alerts.repeat,
        config.alerts.recovery,
      ],
      ['critical', 1, 1, 3_600_000, true],
    );
    assert.equal(config.alerts.email, undefined);
    assert.equal(config.alerts.slack, undefined);
  });

  test('a run on the built-in defaults says so in its log', async () => {
    const defaults = loadConfig({ path: join(dir, 'absent.yml'), explicit: false }, {});
    // the defaults log to /var/log: point log and state at the temp dir, keep `source: null`
    const config = {
      ...defaults,
      log_file: join(dir, 'defaults', 'health.log'),
      state_dir: join(dir, 'defaults', 'state'),
    };
    await runChecks({ config, only: ['memory'], alert: false, onProblem: () => undefined, host: 'web-1' });
    const lines = readFileSync(config.log_file, 'utf8').split('\n');
    assert.match(
      lines[1]!,
      /INFO: Health check started \(1 checks?, host web-1\) with built-in defaults \(no config file at \/etc\/neuronova\/health-check\.yml\)$/,
    );
  });

  test('env ALERT_EMAIL and SLACK_WEBHOOK add channels to the defaults, as the old script did', () => {
    const config = loadConfig(
      { path: join(dir, 'absent.yml'), explicit: false },
      { ALERT_EMAIL: 'ops@example.com', SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/X' },
    );
    assert.deepEqual(config.alerts.email?.to, ['ops@example.com']);
    assert.equal(config.alerts.slack?.webhook, 'https://hooks.slack.com/services/T/B/X');
  });

  test('an explicit path (--config or the env variable) that does not exist is an error that says how to fix it', () => {
    const path = join(dir, 'missing.yml');
    const problems = problemsOf(() => loadConfig({ path, explicit: true }, {}));
    assert.deepEqual(problems, [
      'no such file (create it with `neuronova-health-check config example > FILE`, or fix the path)',
    ]);
    const fromEnv = locateConfig(undefined, { [CONFIG_ENV]: path });
    assert.throws(() => loadConfig(fromEnv, {}), ConfigError);
  });

  test('a directory given as the config is refused in words', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    assert.deepEqual(
      problemsOf(() => loadConfig({ path: sub, explicit: true }, {})),
      ['is a directory, not a YAML file'],
    );
  });

  test('the file named by NEURONOVA_HEALTH_CONFIG is read', () => {
    const path = join(dir, 'from-env.yml');
    writeFileSync(path, 'checks:\n  - { name: only-one, type: memory }\n');
    const config = loadConfig(locateConfig(undefined, { [CONFIG_ENV]: path }), {});
    assert.equal(config.source, path);
    assert.deepEqual(
      config.checks.map((c) => c.name),
      ['only-one'],
    );
  });

  test('YAML syntax errors carry line and column, and say to fix the syntax', () => {
    const problems = problemsOf(() => parseConfigText('checks:\n  - name: a\n   type: x\n', 'bad.yml', {}));
    assert.ok(problems.length >= 1);
    for (const problem of problems) assert.match(problem, /^line \d+, column \d+: .+ \(fix the YAML syntax there\)$/);
    assert.match(problems[0]!, /^line 3, column \d+:/);

    const unclosed = problemsOf(() =>
      parseConfigText('log_file: /tmp/x\nchecks: [\n  { name: a, type: cpu }\n', 'bad.yml', {}),
    );
    assert.match(unclosed[0]!, /^line \d+, column \d+: /);

    const duplicate = problemsOf(() => parseConfigText('timeout: 5s\ntimeout: 10s\n', 'dup.yml', {}));
    assert.match(duplicate[0]!, /^line 2, column 1: Map keys must be unique/);
  });

  test('a file that is not a mapping is refused', () => {
    assert.deepEqual(
      problemsOf(() => parseConfigText('- a\n- b\n', 'list.yml', {})),
      ['(top level): must be a mapping of keys like log_file, checks, alerts'],
    );
    assert.deepEqual(
      problemsOf(() => parseConfigText('just words\n', 'text.yml', {})),
      ['(top level): must be a mapping of keys like log_file, checks, alerts'],
    );
  });

  test('per-check timeout overrides the default timeout; enabled and hint are kept', () => {
    const config = parseConfigText(
      'timeout: 3s\nchecks:\n  - { name: a, type: cpu }\n  - { name: b, type: cpu, timeout: 500ms, enabled: false, hint: "call Bob" }\n',
      'c.yml',
      {},
    );
    assert.equal(config.checks[0]!.timeout, 3000);
    assert.equal(config.checks[1]!.timeout, 500);
    assert.equal(config.checks[1]!.enabled, false);
    assert.equal(config.checks[1]!.hint, 'call Bob');
  });
});

describe('the shipped example config (deploy/config.example.yml)', () => {
  const examplePath = join(
    import.meta.dirname ?? new URL('.', import.meta.url).pathname,
    '..',
    '..',
    'deploy',
    'config.example.yml',
  );
  const example = readFileSync(examplePath, 'utf8');

  test('passes validation as shipped', () => {
    const config = parseConfigText(example, examplePath, {});
    assert.equal(config.source, examplePath);
    assert.ok(config.checks.length >= 8);
  });

  test('every commented-out one-line check in it is valid once uncommented', () => {
    const lines = example.split('\n').filter((line) => /^\s*#\s*- \{ name: /.test(line));
    assert.ok(lines.length >= 4, 'the example shows more check types in comments');
    for (const line of lines) {
      const item = line.replace(/^\s*#\s*/, '  ').replace(/\s+#.*$/, '');
      assert.doesNotThrow(() => parseConfigText(`checks:\n${item}\n`, 'snippet.yml', {}), item);
    }
  });

  test('every commented-out one-line channel (and the template) in it is valid once uncommented', () => {
    const lines = example
      .split('\n')
      .filter((line) => /^ {2}# [a-z]+: \{/.test(line) && !/^ {2}# (email|maintenance)/.test(line));
    assert.ok(lines.length >= 7, 'the example shows every channel');
    for (const line of lines) {
      const item = line.replace(/^ {2}# /, '  ').replace(/\s+#.*$/, '');
      assert.doesNotThrow(() => parseConfigText(`checks: []\nalerts:\n${item}\n`, 'snippet.yml', {}), item);
    }
  });
});
