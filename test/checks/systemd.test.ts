// The `systemd` check against a fake `systemctl` first on PATH that prints REAL `systemctl show` output (captured from
// a real systemd 252 into test/fixtures/systemctl/): systemd is not PID 1 here, so the real systemctl cannot answer.
// The fake answers several units in one call as the real one does (one block each, a blank line between), and logs
// every call, so the tests can count them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/util/errors.js';
import { runChecks } from '../../src/run.js';
import { makeFakeSystemctl, type FakeSystemctl, type UnitState } from '../helpers/fake-systemctl.js';

let fake: FakeSystemctl;
let dir: string;
const savedEnv = { ...process.env };

before(() => {
  fake = makeFakeSystemctl();
  dir = mkdtempSync(join(tmpdir(), 'nn-systemd-'));
});
after(() => {
  fake.remove();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  // the check passes process.env on to systemctl: put back what each test changed
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** One in-process run of systemd checks, with log and state under `stateName` (reused across calls = same host). */
async function run(units: Record<string, UnitState>, checks: string, stateName = `s${Math.random()}`) {
  Object.assign(process.env, fake.env(units));
  const base = join(dir, stateName);
  const config = parseConfigText(
    `log_file: ${base}/health.log\nstate_dir: ${base}/state\nchecks:\n${checks}`,
    'test.yml',
    {},
  );
  const outcome = await runChecks({ config, alert: false, onProblem: () => undefined, host: 'web-1' });
  return { ...outcome, log: readFileSync(join(base, 'health.log'), 'utf8') };
}

describe('systemd check with real systemctl show output', () => {
  test('an active (running) unit is OK and says since when', async () => {
    const { report, log } = await run({ nginx: 'active' }, '  - { name: nginx, type: systemd, unit: nginx }\n');
    const entry = report.services.nginx!;
    assert.equal(entry.level, 'OK');
    assert.equal(entry.status, 'healthy');
    assert.equal(entry.message, 'active (running)');
    assert.equal(entry.restarts, 0);
    assert.match(log, /^\[[\d-]+ [\d:]+\] SUCCESS: nginx: active \(running\) since 2026-11-21 23:15:50$/m);
  });

  test('a failed unit is CRITICAL with its result, since the moment it failed', async () => {
    const { report, log } = await run(
      { gunicorn_flask: 'failed' },
      '  - { name: flask, type: systemd, unit: gunicorn_flask }\n',
    );
    const entry = report.services.flask!;
    assert.equal(entry.level, 'CRITICAL');
    assert.equal(entry.status, 'unhealthy');
    assert.equal(entry.message, 'failed (failed) result exit-code');
    // ActiveEnterTimestamp is 23:17:02 (when it started); it failed at 23:17:04
    assert.match(log, /ERROR: flask: failed \(failed\) result exit-code since 2026-11-21 23:17:04$/m);
  });

  test('a unit in activating (auto-restart) is WARNING and shows its restarts', async () => {
    const { report, log } = await run({ celery: 'activating' }, '  - { name: celery, type: systemd, unit: celery }\n');
    const entry = report.services.celery!;
    assert.equal(entry.level, 'WARNING');
    assert.equal(entry.status, 'degraded');
    assert.equal(entry.message, 'activating (auto-restart)');
    assert.equal(entry.restarts, 3);
    assert.match(
      log,
      /WARNING: celery: activating \(auto-restart\) since 2026-11-21 23:15:54 \(3 restarts in total\)$/m,
    );
  });

  test('a unit that does not exist is CRITICAL "not found", although systemctl exits 0', async () => {
    const { report, log } = await run({}, '  - { name: nginx, type: systemd, unit: nginx }\n');
    assert.equal(report.services.nginx!.level, 'CRITICAL');
    assert.equal(report.services.nginx!.message, 'unit nginx not found');
    assert.match(log, /ERROR: nginx: unit nginx not found$/m);
  });

  test('restarts since the previous run turn a unit that looks active into WARNING (a crash loop)', async () => {
    const check = '  - { name: django, type: systemd, unit: gunicorn_django }\n';
    const first = await run({ gunicorn_django: 'active' }, check, 'crashloop');
    assert.equal(first.report.services.django!.level, 'OK');

    const second = await run({ gunicorn_django: 'active-restarted' }, check, 'crashloop');
    assert.equal(second.report.services.django!.level, 'WARNING');
    assert.equal(second.report.services.django!.message, 'active (running), restarted 2 times since the previous run');
    assert.match(
      second.log,
      /WARNING: django: active \(running\) since 2026-11-21 23:16:08, restarted 2 times since the previous run \(2 restarts in total\)$/m,
    );

    // no new restarts on the next run: OK again
    const third = await run({ gunicorn_django: 'active-restarted' }, check, 'crashloop');
    assert.equal(third.report.services.django!.level, 'OK');
  });

  test('restarts already counted before the first run are not a warning (no previous run to compare)', async () => {
    const { report, log } = await run(
      { gunicorn_django: 'active-restarted' },
      '  - { name: django, type: systemd, unit: gunicorn_django }\n',
    );
    assert.equal(report.services.django!.level, 'OK');
    assert.match(log, /SUCCESS: django: active \(running\) since .* \(2 restarts in total\)$/m);
  });

  test('systemctl is called as argv, without a shell: show --property=... --no-pager -- UNIT', async () => {
    const argsFile = join(dir, 'args.txt');
    Object.assign(process.env, fake.env({ nginx: 'active' }, argsFile));
    const config = parseConfigText(
      `log_file: ${dir}/a.log\nstate_dir: ${dir}/a-state\nchecks:\n  - { name: nginx, type: systemd, unit: nginx.service }\n`,
      't.yml',
      {},
    );
    await runChecks({ config, alert: false, onProblem: () => undefined });
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    assert.deepEqual(args.slice(0, 1), ['show']);
    assert.match(args[1]!, /^--property=.*ActiveState.*$/);
    // `--` ends the options: whatever follows is a unit name to systemctl
    assert.deepEqual(args.slice(2), ['--no-pager', '--', 'nginx.service', '## end of call']);
  });

  test('all systemd checks of a run are answered by ONE systemctl call, each with its own unit', async () => {
    const argsFile = join(dir, 'batch-args.txt');
    Object.assign(process.env, fake.env({ nginx: 'active', gunicorn_flask: 'failed', celery: 'activating' }, argsFile));
    const checks = [
      '  - { name: nginx, type: systemd, unit: nginx }',
      '  - { name: api, type: http, url: "http://127.0.0.1:9/", timeout: 1s }',
      '  - { name: flask, type: systemd, unit: gunicorn_flask }',
      '  - { name: celery, type: systemd, unit: celery }',
      '  - { name: nginx-again, type: systemd, unit: nginx }',
      '  - { name: gone, type: systemd, unit: nope }',
      '',
    ].join('\n');
    // process_concurrency 1: the checks cannot even start together, and still share the one call
    const config = parseConfigText(
      `log_file: ${dir}/b.log\nstate_dir: ${dir}/b-state\nprocess_concurrency: 1\nchecks:\n${checks}`,
      't.yml',
      {},
    );
    const { report } = await runChecks({ config, alert: false, onProblem: () => undefined });
    const calls = readFileSync(argsFile, 'utf8').trim().split('\n## end of call\n');
    assert.equal(calls.length, 1, `systemctl ran ${calls.length} times`);
    // each unit asked once, in config order
    assert.deepEqual(calls[0]!.split('\n').slice(4), ['nginx', 'gunicorn_flask', 'celery', 'nope', '## end of call']);
    const got = (name: string) => [report.services[name]!.level, report.services[name]!.message];
    assert.deepEqual(got('nginx'), ['OK', 'active (running)']);
    assert.deepEqual(got('nginx-again'), ['OK', 'active (running)']);
    assert.deepEqual(got('flask'), ['CRITICAL', 'failed (failed) result exit-code']);
    assert.deepEqual(got('celery'), ['WARNING', 'activating (auto-restart)']);
    assert.deepEqual(got('gone'), ['CRITICAL', 'unit nope not found']);
  });

  test('when systemctl refuses the whole call, each unit is asked on its own: one bad unit does not hide the others', async () => {
    const argsFile = join(dir, 'fallback-args.txt');
    // a state with no fixture makes the fake fail as systemctl fails on a unit it cannot load: exit 1, one stderr line
    Object.assign(process.env, fake.env({ nginx: 'active', broken: 'no-such-state' as UnitState }, argsFile));
    const checks =
      '  - { name: nginx, type: systemd, unit: nginx }\n  - { name: broken, type: systemd, unit: broken }\n';
    const config = parseConfigText(
      `log_file: ${dir}/f.log\nstate_dir: ${dir}/f-state\nchecks:\n${checks}`,
      't.yml',
      {},
    );
    const { report } = await runChecks({ config, alert: false, onProblem: () => undefined });
    assert.equal(
      readFileSync(argsFile, 'utf8').trim().split('\n## end of call\n').length,
      3,
      'one call for both, then one each',
    );
    assert.equal(report.services.nginx!.level, 'OK');
    assert.equal(report.services.broken!.level, 'UNKNOWN');
    assert.match(
      report.services.broken!.message,
      /^systemctl show failed: fake systemctl: no fixture .*no-such-state\.txt$/,
    );
  });

  test('unit names that could be read as options or shell are refused by config validation', () => {
    const yaml = [
      'checks:',
      '  - { name: a, type: systemd, unit: "--foo" }',
      '  - { name: b, type: systemd, unit: "a;b" }',
      '  - { name: c, type: systemd, unit: "$(reboot)" }',
      '  - { name: d, type: systemd, unit: "nginx service" }',
      '  - { name: e, type: systemd, unit: "getty@tty1.service" }',
      '',
    ].join('\n');
    assert.throws(
      () => parseConfigText(yaml, 'bad.yml', {}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const units = error.problems.filter((p) => p.includes('.unit:'));
        assert.deepEqual(
          units.map((p) => p.split(':')[0]),
          ['checks[0].unit', 'checks[1].unit', 'checks[2].unit', 'checks[3].unit'],
        );
        for (const problem of units) assert.match(problem, /must be a systemd unit name/);
        return true;
      },
    );
  });

  test('systemctl missing from PATH is UNKNOWN and says so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nn-nopath-'));
    try {
      const config = parseConfigText(
        `log_file: ${dir}/m.log\nstate_dir: ${dir}/m-state\nchecks:\n  - { name: nginx, type: systemd, unit: nginx }\n`,
        't.yml',
        {},
      );
      process.env.PATH = empty;
      const { report } = await runChecks({ config, alert: false, onProblem: () => undefined });
      assert.equal(report.services.nginx!.level, 'UNKNOWN');
      assert.equal(report.services.nginx!.status, 'unknown');
      assert.equal(report.services.nginx!.message, 'systemctl not found on PATH');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
