// setup_monitoring.sh into a staging root: every file of docs/install.md with its mode, the exact cron entry, and a second run.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync, realpathSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CRON_LINE,
  CRON_PATH_LINE,
  NAME,
  isSymlink,
  mode,
  packageVersion,
  read,
  requireBuild,
  run,
  setupOk,
  snapshotSource,
  tempDir,
} from './setup-kit.js';

// One staging root for both steps: a full install copies thousands of files, so the second run reuses it.
// The build is a private snapshot, so someone rebuilding dist/ meanwhile cannot make the second run an upgrade.
test('install into a staging root, then run setup again', async (t) => {
  requireBuild();
  const root = tempDir(t);
  const source = snapshotSource(t);

  await t.test(
    'a first install puts every file where docs/install.md says, with the right mode, and runs the checks once',
    () => {
      const { stdout } = setupOk(['--root', root, '--from', source]);

      // Every step is announced, in order.
      const steps = ['[1/6]', '[2/6]', '[3/6]', '[4/6]', '[5/6]', '[6/6]'].map((s) => stdout.indexOf(s));
      assert.ok(
        steps.every((at, i) => at >= 0 && (i === 0 || at > steps[i - 1]!)),
        `steps not announced in order:\n${stdout}`,
      );

      // 1. directories
      assert.equal(mode(join(root, 'var/log/neuronova')), '0755');
      assert.equal(mode(join(root, 'var/lib/neuronova')), '0750');

      // 2. the program: a release behind a `current` symlink, linked from /usr/local/bin
      const opt = join(root, 'opt', NAME);
      assert.ok(isSymlink(join(opt, 'current')));
      const current = readlinkSync(join(opt, 'current'));
      assert.match(current, new RegExp(`^releases/${packageVersion(source).replace(/\./g, '\\.')}-\\d{14}$`));
      const release = join(opt, current);
      assert.equal(mode(join(release, 'bin', `${NAME}.js`)), '0755');
      for (const file of [
        'dist/cli.js',
        'package.json',
        'package-lock.json',
        'deploy/config.example.yml',
        'node_modules/yaml/package.json',
        'node_modules/nodemailer/package.json',
      ]) {
        assert.ok(existsSync(join(release, file)), `${file} missing from the release`);
      }
      for (const dev of ['typescript', 'esbuild', 'tsx', 'smtp-server', 'playwright-core', '.bin']) {
        assert.ok(!existsSync(join(release, 'node_modules', dev)), `dev package ${dev} was installed`);
      }
      const link = join(root, 'usr/local/bin', NAME);
      assert.ok(isSymlink(link));
      assert.ok(!readlinkSync(link).startsWith('/'), 'the link must be relative so it works inside the staging root');
      assert.equal(realpathSync(link), realpathSync(join(release, 'bin', `${NAME}.js`)));
      const version = run(link, ['--version']);
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, new RegExp(packageVersion(source).replace(/\./g, '\\.')));

      // 3. the config, from the example
      const config = join(root, 'etc/neuronova/health-check.yml');
      assert.equal(mode(config), '0640');
      assert.equal(read(config), read(join(source, 'deploy/config.example.yml')));

      // 4. the cron entry, with a PATH under which systemctl and node are found
      const cron = join(root, 'etc/cron.d', NAME);
      assert.equal(mode(cron), '0644');
      const cronText = read(cron);
      assert.ok(cronText.endsWith('\n'), 'cron ignores a last line without a newline');
      const cronLines = cronText.split('\n').filter((l) => l && !l.startsWith('#'));
      assert.deepEqual(cronLines, ['SHELL=/bin/sh', CRON_PATH_LINE, CRON_LINE]);
      assert.ok(!existsSync(join(root, 'etc/systemd/system', `${NAME}.timer`)), 'cron mode installs no timer');

      // 5. logrotate
      const logrotate = join(root, 'etc/logrotate.d/neuronova');
      assert.equal(mode(logrotate), '0644');
      assert.equal(read(logrotate), read(join(source, 'logrotate/neuronova')));

      // 6. config checked, one run made, its log and state inside the root (the installed config still names /var/log)
      assert.match(stdout, /config check/);
      assert.match(stdout, /first run: (OK|WARNING|CRITICAL|UNKNOWN) \(exit [0-3]\)/);
      const log = join(root, 'var/log/neuronova/health_check.log');
      assert.match(read(log), /INFO: Health check started/);
      assert.equal(mode(log), '0644');
      assert.ok(readdirSync(join(root, 'var/lib/neuronova')).length > 0, 'the run kept no state in the staging root');
      assert.match(read(config), /\/var\/log\/neuronova/);
    },
  );

  await t.test('a second run keeps the edited config and cron entry, and reinstalls nothing', () => {
    const config = join(root, 'etc/neuronova/health-check.yml');
    const cron = join(root, 'etc/cron.d', NAME);
    appendFileSync(config, '# edited by the operator\n');
    writeFileSync(cron, read(cron).replace('*/5 ', '*/10 '));
    const editedConfig = read(config);
    const editedCron = read(cron);
    const before = readlinkSync(join(root, 'opt', NAME, 'current'));

    const { stdout, stderr } = setupOk(['--root', root, '--from', source, '--no-run']);

    assert.equal(read(config), editedConfig, "the operator's config was changed");
    assert.equal(mode(config), '0640');
    assert.match(stdout, /health-check\.yml: exists, left as it is/);
    assert.equal(read(cron), editedCron, "the operator's cron schedule was undone");
    assert.match(stdout, /cron\.d\/neuronova-health-check: kept \(edited on this host\)/);
    assert.equal(stderr, '', 'nothing new was shipped, so there is nothing to warn about');
    assert.equal(readlinkSync(join(root, 'opt', NAME, 'current')), before);
    assert.deepEqual(readdirSync(join(root, 'opt', NAME, 'releases')), [before.replace('releases/', '')]);
    assert.match(stdout, /\/opt\/neuronova-health-check: unchanged/);
    assert.match(stdout, /logrotate\.d\/neuronova: unchanged/);
  });
});
