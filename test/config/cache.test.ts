// The run's config cache: an unchanged config comes from state_dir/config-cache.json, and anything that could change
// the result of validation (a byte of the file, the build, the env it reads) goes through the full loader again.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONFIG_CACHE_FILE, loadRunConfig, stateDirIn } from '../../src/config/cache.js';
import { ConfigError } from '../../src/util/errors.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'nn-config-cache-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const BUILD = 'test-build-1';
const env: NodeJS.ProcessEnv = {};

function fixture(name: string, checks = '  - { name: web, type: http, url: "http://127.0.0.1:8000/health" }\n') {
  const dir = join(root, name);
  const stateDir = join(dir, 'state');
  const path = join(root, `${name}.yml`);
  writeFileSync(path, `log_file: ${join(dir, 'health.log')}\nstate_dir: ${stateDir}\nchecks:\n${checks}`);
  return { path, stateDir, cache: join(stateDir, CONFIG_CACHE_FILE) };
}

/** Rewrite the cached config's log_file: if a later load returns it, the load came from the cache. */
function markCache(cache: string, marker: string): void {
  const file = JSON.parse(readFileSync(cache, 'utf8'));
  file.config.log_file = marker;
  writeFileSync(cache, JSON.stringify(file));
  chmodSync(cache, 0o600);
}

describe('the run config cache', () => {
  test('is written after a config validates, readable by its owner only, and used by the next run', async () => {
    const f = fixture('reuse');
    const first = await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    assert.equal(first.checks[0]!.name, 'web');
    assert.equal(statSync(f.cache).mode & 0o777, 0o600);
    markCache(f.cache, '/from/the/cache.log');
    const second = await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    assert.equal(second.log_file, '/from/the/cache.log');
    assert.deepEqual({ ...second, log_file: first.log_file }, first);
  });

  test('is not used once the file changes, and the change takes effect', async () => {
    const f = fixture('edit');
    await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    markCache(f.cache, '/stale.log');
    writeFileSync(f.path, readFileSync(f.path, 'utf8').replace('name: web', 'name: api'));
    const config = await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    assert.equal(config.checks[0]!.name, 'api');
    assert.notEqual(config.log_file, '/stale.log');
  });

  test('never hides a bad file: every problem is listed even when a valid config was cached before', async () => {
    const f = fixture('bad');
    await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    writeFileSync(f.path, readFileSync(f.path, 'utf8') + 'timeout: 10\nchekcs: []\n');
    await assert.rejects(loadRunConfig({ path: f.path, explicit: true }, env, BUILD), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(
        error.problems.some((p) => p.startsWith('timeout:')),
        error.problems.join('\n'),
      );
      assert.ok(
        error.problems.some((p) => p.includes('chekcs')),
        error.problems.join('\n'),
      );
      return true;
    });
  });

  test('is not used by another build of the program', async () => {
    const f = fixture('build');
    await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    markCache(f.cache, '/older-build.log');
    const config = await loadRunConfig({ path: f.path, explicit: true }, env, 'test-build-2');
    assert.notEqual(config.log_file, '/older-build.log');
  });

  test('follows the environment variables that add alert channels (SLACK_WEBHOOK, ALERT_EMAIL)', async () => {
    const f = fixture('env');
    const plain = await loadRunConfig({ path: f.path, explicit: true }, {}, BUILD);
    assert.equal(plain.alerts.slack, undefined);
    const withSlack = await loadRunConfig(
      { path: f.path, explicit: true },
      { SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/x' },
      BUILD,
    );
    assert.equal(withSlack.alerts.slack?.webhook, 'https://hooks.slack.com/services/T/B/x');
    const withoutAgain = await loadRunConfig({ path: f.path, explicit: true }, {}, BUILD);
    assert.equal(withoutAgain.alerts.slack, undefined);
  });

  test('holds no secret, and a run from it still uses the real ones', async () => {
    const f = fixture(
      'secrets',
      '  - { name: private, type: http, url: "http://monitor:Pw-in-Url-981@127.0.0.1:8000/health?token=Tok-55x" }\n' +
        '  - { name: plugin, type: command, command: [/bin/sh, -c, "echo postgres://app:Plugin-Pw-4410@db/app"] }\n',
    );
    const slack = 'https://hooks.slack.com/services/T000/B000/Slack-Secret-42';
    const first = await loadRunConfig({ path: f.path, explicit: true }, { SLACK_WEBHOOK: slack }, BUILD);
    const cacheText = readFileSync(f.cache, 'utf8');
    for (const secret of ['Pw-in-Url-981', 'Tok-55x', 'Plugin-Pw-4410', 'Slack-Secret-42']) {
      assert.ok(!cacheText.includes(secret), `${secret} is in the cache file`);
    }
    markCache(f.cache, '/from/the/cache.log');
    const second = await loadRunConfig({ path: f.path, explicit: true }, { SLACK_WEBHOOK: slack }, BUILD);
    assert.equal(second.log_file, '/from/the/cache.log', 'the second load came from the cache');
    assert.deepEqual({ ...second, log_file: first.log_file }, first);
    assert.equal(second.checks[0]!.url, 'http://monitor:Pw-in-Url-981@127.0.0.1:8000/health?token=Tok-55x');
    assert.equal(second.alerts.slack?.webhook, slack);
  });

  test('is ignored when others could have written it', async () => {
    const f = fixture('perms');
    await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    markCache(f.cache, '/planted.log');
    chmodSync(f.cache, 0o666);
    const config = await loadRunConfig({ path: f.path, explicit: true }, env, BUILD);
    assert.notEqual(config.log_file, '/planted.log');
  });

  test('is not kept without a build id (running from the TypeScript sources)', async () => {
    const f = fixture('dev');
    const config = await loadRunConfig({ path: f.path, explicit: true }, env, undefined);
    assert.equal(config.checks.length, 1);
    assert.ok(!existsSync(f.cache));
  });

  test("a missing explicit file is still the loader's error", async () => {
    await assert.rejects(
      loadRunConfig({ path: join(root, 'nope.yml'), explicit: true }, env, BUILD),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.problems[0]!, /no such file/);
        return true;
      },
    );
  });
});

describe('state_dir read from the text without YAML', () => {
  const cases: [string, string | undefined][] = [
    ['log_file: /x\n', '/var/lib/neuronova'],
    ['state_dir: /srv/state\n', '/srv/state'],
    ['state_dir: "/srv/my state"  # quoted\n', '/srv/my state'],
    ["state_dir: '/srv/q'\n", '/srv/q'],
    ['state_dir: /srv/s # comment\n', '/srv/s'],
    ['state_dir: relative/dir\n', undefined],
    ['state_dir: *anchor\n', undefined],
    ['state_dir: /a\nstate_dir: /b\n', undefined],
    ['alerts:\n  state_dir: /nested\n', '/var/lib/neuronova'],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.equal(stateDirIn(text), expected));
  }
});
