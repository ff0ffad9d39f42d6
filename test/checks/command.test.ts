// The `command` check with real programs: Nagios exit codes, first-line message, perfdata, env, cwd, no shell, and a
// timeout that kills the whole process group (the child a plugin started too).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parsePluginOutput } from '../../src/checks/command.js';
import { runYaml } from '../helpers/check-run.js';

let dir: string;
/** A small executable shell script in the temp dir; returns its path. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
const cmd = (name: string, argv: string[], extra = '') =>
  `  - { name: ${name}, type: command, command: ${JSON.stringify(argv)}, timeout: 5s${extra} }\n`;

/** True while `pid` runs (a zombie waiting for its parent to reap it no longer runs). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-cmd-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('command check', () => {
  test('exit 0/1/2/3 map to OK/WARNING/CRITICAL/UNKNOWN; anything else is UNKNOWN and says why', async () => {
    const codes = [0, 1, 2, 3, 4, 127];
    const plugin = script('plugin', 'echo "state $1"\nexit $1');
    const run = await runYaml(codes.map((code) => cmd(`exit${code}`, [plugin, String(code)])).join(''));
    const level = (code: number) => run.report.services[`exit${code}`]!.level;
    assert.deepEqual(codes.map(level), ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
    assert.equal(run.report.services.exit0!.message, 'state 0');
    assert.equal(run.report.services.exit4!.message, 'state 4 (exit code 4, expected 0-3)');
    assert.equal(run.report.services.exit4!.exit_code, 4);
    assert.match(run.log, /^\[[^\]]+\] ERROR: exit3: state 3$/m);
    assert.match(run.log, /^\[[^\]]+\] WARNING: exit1: state 1$/m);
  });

  test('a plugin killed by a signal is UNKNOWN', async () => {
    const run = await runYaml(cmd('killed', [script('suicide', 'echo dying; kill -TERM $$'), 'x']));
    assert.equal(run.report.services.killed!.level, 'UNKNOWN');
    assert.equal(run.report.services.killed!.message, 'dying (killed by SIGTERM, expected 0-3)');
  });

  test('the first output line is the message; perfdata after | (also in long output) is kept', async () => {
    const plugin = script(
      'check_load',
      'echo "LOAD WARNING - load average: 5.1, 4.2, 3.0|load1=5.1;4;6;0 load5=4.2;4;6;0"\necho \'second line of long output\'\necho "more | \'disk /\'=83.1%;80;90;0;100"\nexit 1',
    );
    const run = await runYaml(cmd('load', [plugin]));
    const entry = run.report.services.load!;
    assert.equal(entry.level, 'WARNING');
    assert.equal(entry.message, 'LOAD WARNING - load average: 5.1, 4.2, 3.0');
    assert.match(entry.perfdata as string, /load1=5\.1;4;6;0 load5=4\.2;4;6;0 'disk \/'=83\.1%;80;90;0;100/);
    const perf = run.results[0]!.perf!;
    assert.deepEqual(
      perf.map((p) => p.label),
      ['load1', 'load5', 'disk /'],
    );
    assert.deepEqual(perf[2], { label: 'disk /', value: 83.1, uom: '%', warn: '80', crit: '90', min: 0, max: 100 });
    assert.match(
      run.log,
      /WARNING: load: LOAD WARNING - load average: 5\.1, 4\.2, 3\.0 \| load1=5\.1;4;6;0 load5=4\.2;4;6;0 'disk \/'=83\.1%;80;90;0;100$/m,
    );
  });

  test('stderr is the message when stdout is empty; an empty output says the exit code', async () => {
    const run = await runYaml(
      cmd('err', [script('err', 'echo "cannot open socket" >&2; exit 2')]) + cmd('mute', [script('mute', 'exit 1')]),
    );
    assert.equal(run.report.services.err!.message, 'cannot open socket');
    assert.equal(run.report.services.mute!.message, 'exit code 1');
  });

  test('env is added to the environment, cwd is the working directory', async () => {
    const run = await runYaml(
      cmd('env', ['/bin/sh', '-c', 'echo "mode=$APP_MODE"'], ', env: { APP_MODE: maintenance }') +
        cmd('cwd', ['/bin/pwd'], `, cwd: "${dir}"`),
    );
    assert.equal(run.report.services.env!.message, 'mode=maintenance');
    assert.equal(run.report.services.cwd!.message, dir);
  });

  test('no shell: `;`, `$(...)` and globs in arguments reach the program literally', async () => {
    const argv = ['/bin/echo', 'hello; touch pwned-1', '$(touch pwned-2)', '`touch pwned-3`', '*'];
    const run = await runYaml(cmd('literal', argv, `, cwd: "${dir}"`));
    assert.equal(run.report.services.literal!.level, 'OK');
    assert.equal(run.report.services.literal!.message, 'hello; touch pwned-1 $(touch pwned-2) `touch pwned-3` *');
    for (const file of ['pwned-1', 'pwned-2', 'pwned-3'])
      assert.ok(!existsSync(join(dir, file)), `${file} was created by a shell`);
  });

  test('a program that does not exist, or is not executable, is UNKNOWN with the reason', async () => {
    const notExec = join(dir, 'not-exec');
    writeFileSync(notExec, '#!/bin/sh\necho hi\n');
    const run = await runYaml(cmd('missing', [join(dir, 'no-such-plugin')]) + cmd('noexec', [notExec]));
    assert.equal(run.report.services.missing!.level, 'UNKNOWN');
    assert.equal(run.report.services.missing!.message, `${join(dir, 'no-such-plugin')} not found`);
    assert.equal(run.report.services.noexec!.level, 'UNKNOWN');
    assert.equal(run.report.services.noexec!.message, `${notExec} is not executable`);
  });

  test('secrets a plugin prints are masked', async () => {
    const run = await runYaml(
      cmd('leaky', [
        script('leaky', 'echo "cannot reach postgres://app:Pg-Pass-123@127.0.0.1:5432/app password=hunter22"; exit 2'),
      ]),
    );
    assert.equal(run.report.services.leaky!.message, 'cannot reach postgres://app:***@127.0.0.1:5432/app password=***');
    assert.ok(!run.everything.includes('Pg-Pass-123'));
    assert.ok(!run.everything.includes('hunter22'));
  });

  test('on timeout it is UNKNOWN and the whole process group is killed, children included', async () => {
    const pidFile = join(dir, 'child.pid');
    const plugin = script('hang', `sleep 300 &\necho $! > "${pidFile}"\nwait`);
    const run = await runYaml(
      `  - { name: hang, type: command, command: ["${plugin}"], timeout: 500ms }\n` + cmd('quick', ['/bin/true']),
    );
    assert.equal(run.report.services.hang!.level, 'UNKNOWN');
    assert.equal(run.report.services.hang!.message, 'no answer within 500ms (timeout)');
    assert.match(run.log, /ERROR: hang: no answer within 500ms \(timeout\)$/m);
    assert.equal(run.report.services.quick!.level, 'OK');
    const child = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL is sent at the timeout; give the kernel a moment to tear the processes down
    for (let i = 0; i < 50 && running(child); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(running(child), false, `the plugin's child sleep (pid ${child}) survived the timeout`);
  });

  test('an empty command list is a config problem', async () => {
    await assert.rejects(
      runYaml('  - { name: x, type: command, command: [] }\n'),
      /checks\[0\]\.command: must name the program/,
    );
  });
});

describe('parsePluginOutput', () => {
  test('splits text and perfdata the Nagios way', () => {
    assert.deepEqual(parsePluginOutput('OK - fine | a=1 b=2\n'), { message: 'OK - fine', perfText: 'a=1 b=2' });
    assert.deepEqual(parsePluginOutput('OK - no perfdata\nlong text'), { message: 'OK - no perfdata', perfText: '' });
    assert.deepEqual(parsePluginOutput('OK | a=1\nlong\nmore | b=2\nc=3\n'), {
      message: 'OK',
      perfText: 'a=1 b=2 c=3',
    });
  });
});
