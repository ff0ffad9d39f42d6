// setup_monitoring.sh --timer: the systemd service and timer replace the cron entry, the choice sticks, and --cron switches back.
import assert from 'node:assert/strict';
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CRON_LINE, NAME, REPO, isSymlink, mode, read, requireBuild, setupOk, tempDir } from './setup-kit.js';

// Run from the repository itself, with no --from: the command an operator types.
test('--timer installs and enables the systemd units instead of cron, keeps them on re-runs, and --cron switches back', async (t) => {
  requireBuild();
  const root = tempDir(t);
  const units = join(root, 'etc/systemd/system');
  const cron = join(root, 'etc/cron.d', NAME);
  const wants = join(units, 'timers.target.wants', `${NAME}.timer`);

  await t.test('a cron install first', () => {
    setupOk(['--root', root, '--no-run']);
    assert.match(read(cron), new RegExp(`^${CRON_LINE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
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
    assert.match(read(cron), /^\*\/5 \* \* \* \* root /m);
    for (const gone of [`${NAME}.service`, `${NAME}.timer`]) assert.ok(!existsSync(join(units, gone)), `${gone} left behind`);
    assert.ok(!isSymlink(wants), 'the timer is still enabled');
  });

  await t.test('--uninstall removes the units of a timer install', () => {
    setupOk(['--root', root, '--timer', '--no-run']);
    setupOk(['--root', root, '--uninstall']);
    assert.ok(!existsSync(join(units, `${NAME}.timer`)) && !existsSync(join(units, `${NAME}.service`)));
    assert.ok(!isSymlink(wants));
    assert.ok(!existsSync(cron));
  });
});
