// state.json cannot be replaced (made immutable with chattr, as a full or read-only disk would refuse it): the alert
// state goes to /run/neuronova, the page goes out once, and the problem is said on stderr and in the log once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fallbackPath } from '../../src/state/store.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { countingSmtp, incidentConfig } from './kit.js';

const chattr = (flag: string, path: string) => spawnSync('chattr', [flag, path], { encoding: 'utf8' });

test('a state file that cannot be written: the page goes out once, said once, remembered in /run/neuronova', {
  timeout: 60_000,
}, async (t) => {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nn-fallback-'));
  const smtp = await countingSmtp();
  const stateDir = join(dir, 'state');
  const stateFile = join(stateDir, 'state.json');
  mkdirSync(stateDir, { mode: 0o750 });
  writeFileSync(stateFile, '{"version":1,"checks":{}}\n');
  const immutable = chattr('+i', stateFile);
  // chattr needs CAP_LINUX_IMMUTABLE and a filesystem with the attribute (ext4, xfs, btrfs); tmpfs has none
  if (immutable.status !== 0) return t.skip(`chattr +i is not available here: ${immutable.stderr.trim()}`);
  t.after(async () => {
    chattr('-i', stateFile);
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(fallbackPath(stateDir), { force: true });
  });
  const config = incidentConfig(dir, smtp.port);

  const first = await runCli(['--config', config]);
  assert.equal(first.code, 2, first.stderr);
  assert.match(
    first.stderr,
    new RegExp(`cannot save state in ${stateDir}: .*; kept in /run/neuronova/state-\\w+\\.json until it can be`),
  );
  assert.equal(smtp.subjects.length, 1, 'the page goes out');
  assert.ok(existsSync(fallbackPath(stateDir)));

  const second = await runCli(['--config', config]);
  assert.equal(second.code, 2, second.stderr);
  assert.equal(smtp.subjects.length, 1, 'and not again on the next run');
  assert.doesNotMatch(second.stderr, /cannot save state/, 'said once, not on every run');
  assert.equal(readFileSync(join(dir, 'health.log'), 'utf8').match(/ERROR: cannot save state/g)?.length, 1);

  chattr('-i', stateFile);
  const third = await runCli(['--config', config]);
  assert.equal(third.code, 2, third.stderr);
  assert.equal(smtp.subjects.length, 1);
  assert.match(readFileSync(join(dir, 'health.log'), 'utf8'), /INFO: state saved in .* again/);
  assert.ok(!existsSync(fallbackPath(stateDir)), 'the second copy is gone once state_dir works');
  assert.match(readFileSync(stateFile, 'utf8'), /"announced": true/);
});
