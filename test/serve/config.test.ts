// The `serve:` block as the rest of the config sees it: defaults, and a token that never reaches the config cache.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { tempDir } from './serve-process.js';

test('without a serve block: loopback 127.0.0.1:8787, every 30 s, no token, the access log under /var/log/neuronova', () => {
  const config = parseConfigText('checks: []\n', 'test.yml', {});
  assert.deepEqual(config.serve, {
    listen: '127.0.0.1:8787',
    interval: 30_000,
    access_log: '/var/log/neuronova/serve.log',
  });
  const ipv6 = parseConfigText('serve: { listen: "[::1]:9000", interval: 1m }\n', 'test.yml', {});
  assert.equal(ipv6.serve.listen, '[::1]:9000');
  assert.equal(ipv6.serve.interval, 60_000);
});

test("cron's run caches the validated config without serve.token in it, and still runs from the cache", async (t) => {
  await ensureBuilt();
  const dir = tempDir(t);
  const token = 'cache-must-not-hold-0123456789';
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `state_dir: ${dir}/state\nlog_file: ${dir}/health.log\nchecks: [{ name: disk, type: disk, path: / }]\nserve: { token: "${token}" }\n`,
  );
  for (let run = 0; run < 2; run++) {
    const result = await runCli(['--quiet', '--config', config]);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
  }
  const cache = join(dir, 'state', 'config-cache.json');
  assert.ok(existsSync(cache), 'the config was cached');
  const text = readFileSync(cache, 'utf8');
  assert.ok(!text.includes(token));
  assert.match(text, /"token":"\*\*\*"/);
});
