// The `report` command's edges: bad --since and --check are usage errors, an empty history says so, the target comes from the config.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { reportCommand } from '../../src/commands/report.js';
import { parseWindow } from '../../src/report/window.js';
import { UsageError } from '../../src/util/errors.js';
import { MINUTE, writeRuns } from '../helpers/history.js';

const NOW = Date.UTC(2025, 11, 6, 12, 0);

describe('report command', () => {
  let dir: string;
  let config: string;
  let out: string;
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => assert.fail(`unexpected stderr: ${t}`),
    color: false,
  };
  const run = (flags: Record<string, unknown>) => reportCommand({ config, ...flags }, io, () => NOW);

  beforeEach(() => {
    out = '';
    dir = mkdtempSync(join(tmpdir(), 'nn-report-cmd-'));
    config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `log_file: ${join(dir, 'h.log')}\nstate_dir: ${join(dir, 'state')}\nhistory: { target: 99 }\nchecks:\n  - { name: django-api, type: tcp, host: 127.0.0.1, port: 1 }\n  - { name: disk, type: disk, path: / }\n`,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('--since takes 24h, 7d, 30d, 90d and other durations; anything else is a usage error naming the choices', async () => {
    assert.deepEqual(parseWindow('7d', NOW), { since: '7d', fromMs: NOW - 7 * 86_400_000, toMs: NOW });
    assert.equal(parseWindow(undefined, NOW).since, '24h');
    assert.equal(parseWindow('90d', NOW).fromMs, NOW - 90 * 86_400_000);
    for (const bad of ['yesterday', '7', '-1d', '0', '30s']) {
      await assert.rejects(run({ since: bad }), (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^--since: ".*" is not a window to report on; use 24h, 7d, 30d or 90d/);
        return true;
      });
    }
  });

  test('--check with a name in neither the config nor the history is a usage error with a suggestion', async () => {
    await assert.rejects(run({ check: 'django-apj' }), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        '--check: no check named "django-apj" in the config or the history (did you mean "django-api"?)',
      );
      return true;
    });
  });

  test('no history yet: every configured check listed as having no runs, and a hint about why', async () => {
    assert.equal(await run({}), 0);
    assert.match(out, /No runs recorded in this window in .*state\/history/);
    assert.match(out, /is cron running the checks, and can it write state_dir\?/);
    out = '';
    await run({ json: true });
    const report = JSON.parse(out);
    assert.deepEqual(Object.keys(report.checks), ['django-api', 'disk']);
    assert.equal(report.checks.disk.runs, 0);
    assert.equal(report.availability.met, null);
  });

  test('the availability target comes from history.target in the config', async () => {
    const runs = Array.from({ length: 100 }, (_, i) => ({
      'django-api': i === 50 ? ('CRITICAL' as const) : ('OK' as const),
      disk: 'OK' as const,
    }));
    writeRuns(join(dir, 'state'), NOW - 100 * 5 * MINUTE, 5 * MINUTE, runs);
    await run({ json: true });
    const report = JSON.parse(out);
    assert.deepEqual(report.availability, { percent: 99, runs: 100, up_runs: 99, target_percent: 99, met: true });
    out = '';
    await run({});
    assert.match(out, /^Availability 99\.00% \(every check up in 99 of 100 runs\) · target 99%: met$/m);
  });

  test('--quiet prints nothing', async () => {
    assert.equal(await run({ quiet: true }), 0);
    assert.equal(out, '');
  });
});
