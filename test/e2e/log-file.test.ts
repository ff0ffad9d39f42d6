// End to end: the log file of docs/reference.md#the-log-file with the built binary — directory created, mode 0644 (even under umask 077),
// appended across runs, and a log or state_dir that cannot be written: the run goes on and says why on stderr.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { baseEnv, BIN, ensureBuilt, REPO, runCli } from '../helpers/cli.js';
import { startMixedHost, type MixedHost } from '../helpers/mixed-host.js';

const LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (INFO|SUCCESS|WARNING|ERROR): \S.*$/;
let host: MixedHost;
before(async () => {
  await ensureBuilt();
  host = await startMixedHost();
});
after(async () => {
  await host?.close();
});

describe('the log file', () => {
  test('is created with its directory, 0644, and appended to by every run', async () => {
    const config = host.config('append', host.checks.healthy + host.checks.serverError);
    const log = host.logFile('append');
    assert.ok(!existsSync(join(log, '..')), 'the directory does not exist yet');
    const first = await runCli(['--quiet', '--config', config], { env: host.env() });
    assert.equal(first.code, 2, first.stderr);
    assert.equal(statSync(log).mode & 0o777, 0o644);
    const afterOne = readFileSync(log, 'utf8');

    await runCli(['--quiet', '--config', config], { env: host.env() });
    const afterTwo = readFileSync(log, 'utf8');
    assert.ok(afterTwo.startsWith(afterOne), "the first run's lines are kept");
    assert.equal(afterTwo.match(/INFO: ={40}$/gm)?.length, 2);
    assert.equal(afterTwo.match(/INFO: Health check finished: CRITICAL \(1 critical, 1 ok\) in \d+ ms$/gm)?.length, 2);
    for (const line of afterTwo.trimEnd().split('\n')) assert.match(line, LINE);
    assert.equal(
      afterTwo.split('\n').filter((line) => line.includes('ERROR')).length,
      2,
      '`grep ERROR` finds the failing check once per run',
    );
  });

  test("is 0644 even when the run's umask is 077", async () => {
    const config = host.config('umask', host.checks.healthy);
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        '/bin/sh',
        ['-c', `umask 077 && exec "${process.execPath}" "${BIN}" --quiet --config "${config}"`],
        { cwd: REPO, env: baseEnv(host.env()) },
      );
      child.once('error', reject);
      child.once('close', resolve);
    });
    assert.equal(code, 0);
    assert.equal(statSync(host.logFile('umask')).mode & 0o777, 0o644);
  });

  test('a log that cannot be written: the run still checks and exits by its level, and stderr says why', async () => {
    const blocker = join(host.dir, 'not-a-directory');
    writeFileSync(blocker, 'a file where the log directory should be\n');
    const config = join(host.dir, 'unwritable-log.yml');
    writeFileSync(
      config,
      `log_file: ${blocker}/health_check.log\nstate_dir: ${host.stateDir('unwritable-log')}\nchecks:\n${host.checks.serverError}`,
    );
    const result = await runCli(['--json', '--config', config], { env: host.env() });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(JSON.parse(result.stdout).services['flask-api'].level, 'CRITICAL');
    assert.match(
      result.stderr,
      new RegExp(`^neuronova-health-check: cannot write the log ${blocker}/health_check\\.log: .+$`, 'm'),
    );
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, 'said once, not once per line');
  });

  test('a state_dir that cannot be written: the run still checks and logs, and stderr says why', async () => {
    const blocker = join(host.dir, 'state-blocker');
    writeFileSync(blocker, 'a file where state_dir should be\n');
    const config = join(host.dir, 'unwritable-state.yml');
    writeFileSync(
      config,
      `log_file: ${host.logFile('unwritable-state')}\nstate_dir: ${blocker}/state\nchecks:\n${host.checks.healthy}`,
    );
    const result = await runCli(['--quiet', '--config', config], { env: host.env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /cannot use state_dir .*state-blocker\/state: .*set state_dir to a writable directory/);
    assert.match(readFileSync(host.logFile('unwritable-state'), 'utf8'), /SUCCESS: django-api: HTTP 200 OK/);
  });
});
