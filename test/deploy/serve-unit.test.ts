// The health API's unit (systemd/neuronova-health-check-serve.service) passes systemd-analyze, is unprivileged and
// hardened, runs the command docs/serve.md describes; setup_monitoring.sh --serve installs, keeps and removes it.
import assert from 'node:assert/strict';
import { existsSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NAME, PROGRAM, REPO, isSymlink, mode, read, requireBuild, run, setupOk, tempDir } from './setup-kit.js';

const UNIT = `${NAME}-serve.service`;
const SOURCE = join(REPO, 'systemd', UNIT);

function settings(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) map.set(m[1]!, [...(map.get(m[1]!) ?? []), m[2]!]);
  }
  return map;
}

test('the serve unit passes systemd-analyze verify', (t) => {
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
  assert.ok(analyze, 'systemd-analyze is not installed: apt-get install systemd');
  // As in units.test.ts: verify wants ExecStart to exist here, so the copy under test starts the repository's program.
  const dir = tempDir(t);
  writeFileSync(
    join(dir, UNIT),
    read(SOURCE).replace(/^ExecStart=\/usr\/local\/bin\/neuronova-health-check /m, `ExecStart=${PROGRAM} `),
  );
  const result = run(analyze, ['verify', join(dir, UNIT)]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(
    (result.stdout + result.stderr).split('\n').filter((l) => l.includes(NAME)),
    [],
  );
});

test('the serve unit is unprivileged and hardened, reads the config as a credential, and stops well within its timeout', () => {
  const unit = settings(read(SOURCE));
  assert.deepEqual(unit.get('Type'), ['simple']);
  assert.deepEqual(unit.get('DynamicUser'), ['yes']);
  assert.equal(unit.get('User'), undefined);
  for (const [key, value] of [
    ['ProtectSystem', 'strict'],
    ['NoNewPrivileges', 'true'],
    ['PrivateTmp', 'true'],
    ['ProtectHome', 'read-only'],
    ['CapabilityBoundingSet', ''],
    ['RestrictAddressFamilies', 'AF_UNIX AF_INET AF_INET6'],
    ['LogsDirectory', 'neuronova/serve'],
    ['LoadCredential', 'config:/etc/neuronova/health-check.yml'],
    ['Restart', 'on-failure'],
    ['WantedBy', 'multi-user.target'],
  ]) {
    assert.deepEqual(unit.get(key!), [value], key);
  }
  const exec = unit.get('ExecStart')![0]!;
  const credentials = '$' + '{CREDENTIALS_DIRECTORY}'; // systemd's, not a template placeholder
  assert.equal(
    exec,
    `/usr/local/bin/neuronova-health-check serve --quiet --config ${credentials}/config --access-log /var/log/neuronova/serve/access.log`,
  );
  assert.ok(Number(/^(\d+)s$/.exec(unit.get('TimeoutStopSec')![0]!)![1]) > 2, 'serve stops within 2 s');
});

test('setup --serve installs and enables the unit, a re-run keeps it, --no-serve and --uninstall remove it', (t) => {
  requireBuild();
  const root = tempDir(t);
  const installed = join(root, 'etc/systemd/system', UNIT);
  const wants = join(root, 'etc/systemd/system/multi-user.target.wants', UNIT);

  setupOk(['--root', root, '--no-run']);
  assert.ok(!existsSync(installed), 'no health API unless asked for');

  const { stdout } = setupOk(['--root', root, '--serve', '--no-run']);
  assert.match(stdout, /health API: neuronova-health-check-serve\.service/);
  assert.equal(read(installed), read(SOURCE));
  assert.equal(mode(installed), '0644');
  assert.ok(isSymlink(wants));
  assert.equal(readlinkSync(wants), `/etc/systemd/system/${UNIT}`);
  assert.ok(existsSync(join(root, 'etc/cron.d', NAME)), 'cron still runs the checks');

  setupOk(['--root', root, '--no-run']);
  assert.ok(existsSync(installed) && isSymlink(wants), 'a re-run without --no-serve keeps the health API');

  setupOk(['--root', root, '--no-serve', '--no-run']);
  assert.ok(!existsSync(installed) && !isSymlink(wants));

  setupOk(['--root', root, '--serve', '--timer', '--no-run']);
  assert.ok(existsSync(installed));
  setupOk(['--root', root, '--uninstall']);
  assert.ok(!existsSync(installed) && !isSymlink(wants), 'uninstall leaves no serve unit behind');
});
