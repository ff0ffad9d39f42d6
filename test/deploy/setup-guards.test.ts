// setup_monitoring.sh refuses politely (not root, old Node, no build, bad option), and health_check.sh passes through to the program.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HEALTH_CHECK_SH, PROGRAM, SETUP, packageVersion, requireBuild, run, setup, tempDir } from './setup-kit.js';

// A copy of the script anyone can read, outside the repository (which may sit in root's home).
function publicCopy(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'deploy/monitoring'), { recursive: true, mode: 0o755 });
  const script = join(dir, 'deploy/monitoring/setup_monitoring.sh');
  copyFileSync(SETUP, script);
  chmodSync(script, 0o755);
  return script;
}

// Runs as an unprivileged user: directly when the tests are not root, through setpriv when they are.
function asNobody(args: string[]): ReturnType<typeof run> {
  if (process.getuid?.() !== 0) return run('bash', args);
  return run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', ...args], {
    HOME: '/',
    TMPDIR: '/tmp',
  });
}

test('a real install refuses to run without root, and says how to run it', (t) => {
  const result = asNobody([publicCopy(t)]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /must be run as root/);
  assert.match(result.stderr, /sudo bash /);
  assert.match(result.stderr, /--root /, 'the message should point at the staging install');
  assert.equal(result.stdout, '');
});

test('a staging --root install does not ask for root', (t) => {
  const root = tempDir(t);
  chmodSync(root, 0o777);
  // The copy has no build next to it, so it stops at the next check: the point is that it got past the root check.
  const result = asNobody([publicCopy(t), '--root', root]);
  assert.doesNotMatch(result.stderr, /must be run as root/);
  assert.match(result.stderr, /is missing/);
});

test('an old Node.js is refused with what to do, before anything is written', (t) => {
  const root = tempDir(t);
  const bin = tempDir(t);
  writeFileSync(join(bin, 'node'), '#!/bin/sh\necho 18.19.1\n', { mode: 0o755 });
  const result = setup(['--root', root], { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Node\.js 18\.19\.1 \(at .*\/node\) is too old/);
  assert.match(result.stderr, /needs Node\.js 20 or newer/);
  assert.match(result.stderr, /nodesource/);
  assert.deepEqual(readdirSync(root), []);
});

test('a checkout that was never built is refused with the build command', (t) => {
  const root = tempDir(t);
  const source = tempDir(t);
  mkdirSync(join(source, 'bin'));
  writeFileSync(join(source, 'bin/neuronova-health-check.js'), '');
  writeFileSync(join(source, 'package.json'), '{"name":"neuronova-health-check","version":"1.0.0"}');
  writeFileSync(join(source, 'package-lock.json'), '{}');
  const result = setup(['--root', root, '--from', source]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no build found/);
  assert.match(result.stderr, /npm ci/);
  assert.deepEqual(readdirSync(root), []);
});

test('an unknown option is a usage error (exit 2); --help lists the options', () => {
  const bad = setup(['--tmer']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option: --tmer/);
  const help = setup(['--help']);
  assert.equal(help.status, 0);
  for (const option of ['--timer', '--cron', '--root DIR', '--uninstall', '--purge'])
    assert.ok(help.stdout.includes(option), option);
});

test('health_check.sh runs the installed program with its arguments and exit code, or says how to install it', (t) => {
  requireBuild();
  const missing = run('bash', [HEALTH_CHECK_SH, '--version'], {
    NEURONOVA_HEALTH_CHECK_BIN: '/nonexistent/neuronova-health-check',
  });
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /setup_monitoring\.sh/);

  const installed = { NEURONOVA_HEALTH_CHECK_BIN: PROGRAM };
  const version = run('bash', [HEALTH_CHECK_SH, '--version'], installed);
  assert.equal(version.status, 0, version.stderr);
  assert.ok(version.stdout.includes(packageVersion()));

  const dir = tempDir(t);
  const config = join(dir, 'health-check.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health_check.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'checks:',
      '  - { name: broken, type: command, command: [sh, -c, "echo broken; exit 2"] }',
      '',
    ].join('\n'),
  );
  const critical = run('bash', [HEALTH_CHECK_SH, 'run', '--config', config, '--no-alert'], installed);
  assert.equal(critical.status, 2, critical.stdout + critical.stderr);
  assert.match(critical.stdout, /broken/);
  assert.ok(existsSync(join(dir, 'health_check.log')));
});
