// A first run on a host that is not a NeuroNova web host (the README's quick start): the built-in set fails, and the
// run's last line says what to try next — on the terminal table only, never in --json, --quiet or Nagios output.
// systemctl is the fake of test/helpers (systemd is not PID 1 in a test container) reporting every unit not-found.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { firstRunHint } from '../../src/commands/first-run-hint.js';
import { DEFAULT_CONFIG_PATH } from '../../src/config/defaults.js';
import type { CheckResult } from '../../src/types.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { makeFakeSystemctl, type FakeSystemctl } from '../helpers/fake-systemctl.js';

const HINT = /^Not a NeuroNova host\? .*try --only disk,memory,cpu, or `config example`/m;

const result = (type: string, level: CheckResult['level']): CheckResult => ({
  name: type,
  type,
  level,
  message: '',
  durationMs: 1,
});

describe('firstRunHint', () => {
  test('built-in checks whose services fail: the hint', () => {
    assert.match(firstRunHint(null, [result('systemd', 'CRITICAL'), result('disk', 'OK')]) ?? '', HINT);
    assert.match(firstRunHint(null, [result('http', 'CRITICAL')]) ?? '', HINT);
    assert.match(
      firstRunHint(null, [result('systemd', 'UNKNOWN')]) ?? '',
      HINT,
      'systemctl missing (a container) counts too',
    );
  });

  test('no hint with a config file, when the services are fine, or when only resources fail', () => {
    assert.equal(firstRunHint('/etc/neuronova/health-check.yml', [result('systemd', 'CRITICAL')]), undefined);
    assert.equal(firstRunHint(null, [result('systemd', 'OK'), result('http', 'OK')]), undefined);
    assert.equal(firstRunHint(null, [result('systemd', 'OK'), result('cpu', 'CRITICAL')]), undefined);
  });
});

// The quick start runs the built-in set, which only exists when there is no file at the default path; a host with a
// real config there cannot show it.
const skip = existsSync(DEFAULT_CONFIG_PATH)
  ? `${DEFAULT_CONFIG_PATH} exists on this machine: the built-in set cannot run`
  : false;

describe('the quick start on a host without the NeuroNova services', { skip }, () => {
  let systemctl: FakeSystemctl;
  before(async () => {
    await ensureBuilt();
    systemctl = makeFakeSystemctl();
  });
  after(() => systemctl?.remove());
  const run = (args: string[]) =>
    runCli(['--no-alert', ...args], { env: { ...systemctl.env({}), NEURONOVA_HEALTH_CONFIG: undefined } });

  test('the table ends with the hint', async () => {
    const outcome = await run([]);
    assert.equal(outcome.code, 2, outcome.stdout + outcome.stderr);
    const lines = outcome.stdout.trimEnd().split('\n');
    assert.match(lines.at(-1)!, HINT);
    assert.equal(lines.filter((line) => HINT.test(line)).length, 1, 'one line');
  });

  test('--json, --quiet and --format nagios never carry it, on stdout or stderr', async () => {
    for (const args of [['--json'], ['--quiet'], ['--format', 'nagios']]) {
      const outcome = await run(args);
      assert.equal(outcome.code, 2, args.join(' '));
      assert.doesNotMatch(outcome.stdout + outcome.stderr, /Not a NeuroNova host/, args.join(' '));
      if (args[0] === '--json') assert.equal(JSON.parse(outcome.stdout).level, 'CRITICAL');
    }
  });
});
