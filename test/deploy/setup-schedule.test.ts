// setup_monitoring.sh switches between cron and the systemd timer, and --uninstall / --purge remove what it installed.
import assert from 'node:assert/strict';
import { existsSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CRON_LINE, NAME, REPO, isSymlink, mode, read, requireBuild, setupOk, tempDir } from './setup-kit.js';

// One staging root for the whole story (a full install copies thousands of files), run from the
// repository itself with no --from: the command an operator types.
test('cron, then --timer, then back to --cron, then --uninstall and --purge', async (t) => {
  requireBuild();
  const root = tempDir(t);
  const units = join(root, 'etc/systemd/system');
  const cron = join(root, 'etc/cron.d', NAME);
  const wants = join(units, 'timers.target.wants', `${NAME}.timer`);
  const gone = (path: string) => !existsSync(join(root, path)) && !isSymlink(join(root, path));

  await t.test('a first install schedules with cron', () => {
    setupOk(['--root', root, '--no-run']);
    assert.ok(read(cron).split('\n').includes(CRON_LINE));
    assert.ok(gone(`etc/systemd/system/${NAME}.timer`));
  });

  await t.test('--timer removes the cron entry and installs the enabled units', () => {
    const { stdout } = setupOk(['--root', root, '--timer', '--no-run']);
    assert.match(stdout, /schedule: timer/);
    assert.ok(!existsSync(cron), 'the cron entry is still there: both would run');
    for (const unit of [`${NAME}.service`, `${NAME}.timer`]) {
      assert.equal(mode(join(units, unit)), '0644');
      assert.equal(read(join(units, unit)), read(join(REPO, 'systemd', unit)));
    }
    // What `systemctl enable` leaves behind.
    assert.ok(isSymlink(wants));
    assert.equal(readlinkSync(wants), `/etc/systemd/system/${NAME}.timer`);
  });

  await t.test('a re-run without --timer or --cron keeps the timer', () => {
    const { stdout } = setupOk(['--root', root, '--no-run']);
    assert.match(stdout, /schedule: timer/);
    assert.ok(existsSync(join(units, `${NAME}.timer`)));
    assert.ok(!existsSync(cron));
  });

  await t.test('--cron brings the cron entry back and removes the units', () => {
    setupOk(['--root', root, '--cron', '--no-run']);
    assert.ok(read(cron).split('\n').includes(CRON_LINE));
    for (const unit of [`${NAME}.service`, `${NAME}.timer`])
      assert.ok(!existsSync(join(units, unit)), `${unit} left behind`);
    assert.ok(!isSymlink(wants), 'the timer is still enabled');
  });

  await t.test('--uninstall removes program, schedule and logrotate, and keeps config, logs and state', () => {
    setupOk(['--root', root, '--timer', '--no-run']);
    writeFileSync(join(root, 'var/log/neuronova/health_check.log'), '[2025-12-06 14:35:01] INFO: kept\n');
    writeFileSync(join(root, 'var/log/neuronova/health_check.log.2.gz'), '');
    writeFileSync(join(root, 'var/log/neuronova/app.log'), "another program's log\n");
    writeFileSync(join(root, 'var/lib/neuronova/state.json'), '{}\n');

    const { stdout } = setupOk(['--root', root, '--uninstall']);
    for (const path of [
      `opt/${NAME}`,
      `usr/local/bin/${NAME}`,
      `etc/cron.d/${NAME}`,
      'etc/logrotate.d/neuronova',
      `etc/systemd/system/${NAME}.service`,
      `etc/systemd/system/${NAME}.timer`,
      `etc/systemd/system/timers.target.wants/${NAME}.timer`,
    ]) {
      assert.ok(gone(path), `${path} was not removed`);
    }
    for (const kept of [
      'etc/neuronova/health-check.yml',
      'var/log/neuronova/health_check.log',
      'var/lib/neuronova/state.json',
    ]) {
      assert.ok(existsSync(join(root, kept)), `${kept} was removed by --uninstall`);
    }
    assert.match(stdout, /--purge/);
    setupOk(['--root', root, '--uninstall']); // twice is fine
  });

  await t.test("--purge also removes config, state and this program's logs, and nothing else", () => {
    setupOk(['--root', root, '--purge']);
    for (const path of [
      'etc/neuronova',
      'var/lib/neuronova',
      'var/log/neuronova/health_check.log',
      'var/log/neuronova/health_check.log.2.gz',
    ]) {
      assert.ok(gone(path), `${path} was not removed by --purge`);
    }
    assert.equal(read(join(root, 'var/log/neuronova/app.log')), "another program's log\n");
  });
});
