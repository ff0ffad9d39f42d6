// logrotate/neuronova passes `logrotate -d`, and a real forced rotation leaves the program appending to the new file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PROGRAM, REPO, mode, read, requireBuild, run, tempDir } from './setup-kit.js';

const SHIPPED = join(REPO, 'logrotate/neuronova');

function logrotate(): string {
  const found = ['/usr/sbin/logrotate', '/usr/bin/logrotate', '/sbin/logrotate'].find((p) => existsSync(p));
  assert.ok(found, 'logrotate is not installed: apt-get install logrotate');
  return found;
}

test('the shipped logrotate file says what docs/install.md asks and passes logrotate -d', (t) => {
  const text = read(SHIPPED);
  for (const directive of [
    'daily',
    'rotate 30',
    'compress',
    'delaycompress',
    'missingok',
    'notifempty',
    'create 0644 root root',
  ]) {
    assert.match(text, new RegExp(`^\\s+${directive}$`, 'm'), `missing: ${directive}`);
  }
  assert.match(text, /^\/var\/log\/neuronova\/health_check\.log \/var\/log\/neuronova\/cron\.log \{$/m);
  assert.doesNotMatch(text, /^\s+copytruncate/m, 'the program reopens its log each run: copytruncate would lose lines');
  const state = join(tempDir(t), 'status');
  const result = run(logrotate(), ['-d', '-s', state, SHIPPED]);
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /error/i);
});

test('after a real rotation the next run appends to the new log, and the one before is compressed a rotation later', (t) => {
  requireBuild();
  const dir = tempDir(t);
  const log = join(dir, 'health_check.log');
  const cronLog = join(dir, 'cron.log');
  // The shipped rules, pointed at the temp dir. As a normal user logrotate cannot chown to root.
  let rules = read(SHIPPED).replaceAll('/var/log/neuronova/', `${dir}/`);
  if (process.getuid?.() !== 0) rules = rules.replace('create 0644 root root', 'create 0644');
  const rulesFile = join(dir, 'logrotate.conf');
  writeFileSync(rulesFile, rules, { mode: 0o644 });
  const state = join(dir, 'logrotate.status');
  const config = join(dir, 'health-check.yml');
  writeFileSync(
    config,
    [
      `log_file: ${log}`,
      `state_dir: ${join(dir, 'state')}`,
      'checks:',
      '  - { name: always-fine, type: command, command: [sh, -c, "echo fine; exit 0"] }',
      '',
    ].join('\n'),
  );
  const check = () => {
    const result = run(process.execPath, [PROGRAM, 'run', '--config', config, '--quiet', '--no-alert']);
    assert.equal(result.status, 0, `the run failed: ${result.stdout}${result.stderr}`);
  };
  const rotate = () => {
    const result = run(logrotate(), ['-f', '-s', state, rulesFile]);
    assert.equal(result.status, 0, result.stderr);
  };

  check();
  writeFileSync(cronLog, 'an error the program printed under cron\n');
  const firstRun = read(log);
  assert.match(firstRun, /Health check started/);

  rotate();
  assert.equal(read(`${log}.1`), firstRun, 'the rotated copy holds the first run');
  assert.equal(read(log), '', 'create makes a fresh, empty log');
  assert.equal(mode(log), '0644');
  assert.ok(existsSync(`${cronLog}.1`), 'cron.log is rotated too');

  check();
  const secondRun = read(log);
  assert.match(secondRun, /Health check started/);
  assert.match(secondRun, /Health check finished/);
  assert.equal(read(`${log}.1`), firstRun, 'the run wrote to the old, renamed file');

  // delaycompress: the copy from one rotation ago is gzipped only now.
  rotate();
  assert.equal(gunzipSync(readFileSync(`${log}.2.gz`)).toString('utf8'), firstRun);
  assert.equal(read(`${log}.1`), secondRun);
  check();
  assert.match(read(log), /Health check started/);
});
