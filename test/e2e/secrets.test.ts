// End to end: a password in a check's URL (and tokens elsewhere in the config) appears nowhere the program writes —
// stdout in every output mode, stderr, the log file, and every file in state_dir.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { SECRET, SECRET_USER, startMixedHost, type MixedHost } from '../helpers/mixed-host.js';

const TOKEN = 'hook-Token-77aa';
const PLUGIN_SECRET = 'Plugin-Pw-4410';
const SECRETS = [SECRET, TOKEN, PLUGIN_SECRET];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function assertClean(where: string, text: string) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked into ${where}:\n${text}`);
}

describe('secrets are masked everywhere', { timeout: 120_000 }, () => {
  let host: MixedHost;
  let config: string;
  before(async () => {
    await ensureBuilt();
    host = await startMixedHost();
    config = host.config(
      'secrets',
      host.checks.withSecret +
        // the same credentials against a closed port: the failure message carries the URL
        `  - { name: private-down, type: http, url: "http://${SECRET_USER}:${SECRET}@127.0.0.1:${host.closedPort}/x?token=${TOKEN}" }\n` +
        `  - { name: tcp-down, type: tcp, host: 127.0.0.1, port: ${host.closedPort} }\n` +
        `  - { name: plugin, type: command, command: [/bin/sh, -c, "echo cannot reach postgres://app:${PLUGIN_SECRET}@127.0.0.1/app; exit 2"] }\n`,
      `alerts:\n  webhook: { url: "${host.server.url('/hook-down')}?token=${TOKEN}" }\n`,
    );
  });
  after(async () => {
    await host?.close();
  });

  test('in every output mode, on stderr, in the log and in state_dir', async () => {
    const outputs: string[] = [];
    for (const args of [[], ['--json'], ['--format', 'nagios'], ['--quiet'], ['--no-alert'], ['config', 'check']]) {
      const result = await runCli([...args, '--config', config], { env: host.env() });
      assert.ok(result.code !== null && result.code <= 3);
      assertClean(`stdout of ${args.join(' ') || 'a plain run'}`, result.stdout);
      assertClean(`stderr of ${args.join(' ') || 'a plain run'}`, result.stderr);
      outputs.push(result.stdout);
    }
    // the credentials were really used and are shown masked
    const report = JSON.parse(outputs[1]!);
    assert.equal(report.services.private.level, 'OK');
    assert.equal(report.services.private.url, `http://${SECRET_USER}:***@127.0.0.1:${host.server.port}/private`);
    assert.equal(
      report.services['private-down'].url,
      `http://${SECRET_USER}:***@127.0.0.1:${host.closedPort}/x?token=***`,
    );
    assert.match(report.services.plugin.message, /postgres:\/\/app:\*\*\*@127\.0\.0\.1\/app/);

    const log = readFileSync(host.logFile('secrets'), 'utf8');
    assertClean('the log file', log);
    assert.match(
      log,
      /ERROR: private-down: connection refused: http:\/\/monitor:\*\*\*@127\.0\.0\.1:\d+\/x\?token=\*\*\*/,
    );
    for (const file of filesUnder(host.stateDir('secrets'))) assertClean(file, readFileSync(file, 'utf8'));
  });

  test('in config errors that quote the value they refuse', async () => {
    const bad = join(host.dir, 'bad-secret.yml');
    writeFileSync(bad, `checks:\n  - { name: a, type: tcp, host: h, port: "redis://:${SECRET}@127.0.0.1:6379/0" }\n`);
    const result = await runCli(['--config', bad], { env: host.env() });
    assert.equal(result.code, 3, result.stderr);
    assertClean('a config error', result.stderr);
    assert.match(
      result.stderr,
      /checks\[0\]\.port: must be a number, not the text of \d+ characters \(not shown: it may hold a secret\)/,
    );
  });
});
