// End to end: the built binary caches the validated config between runs, and an edit to the file still takes effect
// on the very next run — a new check runs, a broken file is refused with every problem listed, exit 3.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';

let root: string;
before(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'nn-e2e-config-cache-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, checks: string, extra = '') =>
  writeFileSync(
    path,
    `log_file: ${join(root, 'health.log')}\nstate_dir: ${join(root, 'state')}\n${extra}checks:\n${checks}`,
  );

describe('the config between runs', () => {
  test('an edit takes effect on the next run, and a broken edit is refused whole', async () => {
    const config = join(root, 'health-check.yml');
    // Thresholds no host reaches, so the runs are OK whatever the machine's load.
    const resources = '  - { name: memory, type: memory, warning: 100, critical: 100 }\n';
    write(config, resources);

    const first = await runCli(['--json', '--no-alert', '--config', config]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(Object.keys(JSON.parse(first.stdout).services), ['memory']);
    assert.ok(existsSync(join(root, 'state', 'config-cache.json')), 'the validated config is kept for the next run');

    const again = await runCli(['--json', '--no-alert', '--config', config]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(Object.keys(JSON.parse(again.stdout).services), ['memory']);

    write(config, resources + '  - { name: root-disk, type: disk, path: /, warning: 100, critical: 100 }\n');
    const edited = await runCli(['--json', '--no-alert', '--config', config]);
    assert.equal(edited.code, 0, edited.stderr);
    assert.deepEqual(Object.keys(JSON.parse(edited.stdout).services), ['memory', 'root-disk']);

    write(config, resources + '  - { name: memory, type: memroy }\n', 'timeout: 10\n');
    const broken = await runCli(['--quiet', '--config', config]);
    assert.equal(broken.code, 3);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, /timeout: 10 has no unit/);
    assert.match(broken.stderr, /checks\[1\]\.type: unknown check type "memroy" \(did you mean "memory"\?\)/);
    assert.match(broken.stderr, /checks\[1\]\.name: "memory" is already the name of checks\[0\]/);
  });
});
