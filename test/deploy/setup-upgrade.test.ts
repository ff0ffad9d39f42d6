// setup_monitoring.sh upgrades in place: the new build switched in with one rename, the previous one kept, a bad one refused.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NAME, read, requireBuild, run, setup, setupOk, snapshotSource, tempDir } from './setup-kit.js';

test('an upgrade switches the new build in with one symlink, keeps the previous release, prunes older ones, and refuses a version that rejects the config', (t) => {
  requireBuild();
  const root = tempDir(t);
  const opt = join(root, 'opt', NAME);
  const link = join(root, 'usr/local/bin', NAME);
  setupOk(['--root', root, '--from', snapshotSource(t, { version: '9.0.0', marker: 'first' }), '--no-run']);
  const first = readlinkSync(join(opt, 'current'));
  assert.match(first, /^releases\/9\.0\.0-/);
  const config = join(root, 'etc/neuronova/health-check.yml');
  writeFileSync(config, read(config) + '# tuned for this host\n');
  const tuned = read(config);

  const second = setupOk([
    '--root',
    root,
    '--from',
    snapshotSource(t, { version: '9.1.0', marker: 'second', logrotateNote: 'v9.1' }),
    '--no-run',
  ]);
  const current = readlinkSync(join(opt, 'current'));
  assert.match(current, /^releases\/9\.1\.0-/);
  assert.match(second.stdout, /upgraded to version 9\.1\.0/);
  assert.equal(read(join(opt, 'current/dist/BUILD-MARKER')), 'second\n');
  assert.equal(realpathSync(link), realpathSync(join(opt, current, 'bin', `${NAME}.js`)));
  const version = run(link, ['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /9\.1\.0/);
  // A cron run that started before the switch may still be loading files from the previous release.
  assert.ok(existsSync(join(opt, first, 'dist/cli.js')), 'the previous release was removed at once');
  // Packages that did not change are shared with the previous release, not copied again.
  const inode = (release: string) => statSync(join(opt, release, 'node_modules/yaml/package.json')).ino;
  assert.equal(inode(current), inode(first));
  assert.notEqual(statSync(join(opt, current, 'dist/cli.js')).ino, statSync(join(opt, first, 'dist/cli.js')).ino);
  assert.equal(read(config), tuned, "the upgrade touched the operator's config");
  // A shipped file nobody edited follows the new version.
  const logrotate = join(root, 'etc/logrotate.d/neuronova');
  assert.match(read(logrotate), /^# v9\.1$/m);
  assert.match(second.stdout, /logrotate\.d\/neuronova: updated/);

  // One the operator edited is kept; the new version is put beside it, with a warning.
  writeFileSync(logrotate, read(logrotate).replace('rotate 30', 'rotate 90'));
  const edited = read(logrotate);

  const third = setupOk([
    '--root',
    root,
    '--from',
    snapshotSource(t, { version: '9.2.0', marker: 'third', logrotateNote: 'v9.2' }),
    '--no-run',
  ]);
  assert.equal(read(logrotate), edited, "the operator's logrotate edit was undone");
  assert.match(third.stderr, /logrotate\.d\/neuronova was edited on this host, so it is kept/);
  assert.match(read(join(root, 'var/lib/neuronova/setup-backups/neuronova.shipped')), /^# v9\.2$/m);
  const releases = readdirSync(join(opt, 'releases')).sort();
  assert.equal(releases.length, 2, `releases kept: ${releases.join(', ')}`);
  assert.match(releases[0]!, /^9\.1\.0-/);
  assert.match(releases[1]!, /^9\.2\.0-/);
  assert.equal(read(join(opt, 'current/dist/BUILD-MARKER')), 'third\n');

  // A new version that rejects the config is not installed: the old one keeps running.
  writeFileSync(config, tuned + 'no_such_key: 1\n');
  const refused = setup(['--root', root, '--from', snapshotSource(t, { version: '9.3.0' }), '--no-run']);
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(refused.stderr, /no_such_key/);
  assert.match(refused.stderr, /the installed version is unchanged/);
  assert.equal(read(join(opt, 'current/dist/BUILD-MARKER')), 'third\n');
  assert.deepEqual(readdirSync(join(opt, 'releases')).sort(), releases, 'a half-built release was left behind');
});
