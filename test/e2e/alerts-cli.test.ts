// The built binary: test-alert (exit 0 only when every channel worked), silence, run showing silences, env channels.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startHook, startSmtp, startTarget, tempDir } from '../alerts/helpers.js';

const BIN = fileURLToPath(new URL('../../bin/neuronova-health-check.js', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the binary without blocking this process (the test's own servers must keep answering). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !['ALERT_EMAIL', 'SLACK_WEBHOOK', 'NEURONOVA_HEALTH_CONFIG'].includes(key),
      ),
    );
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...clean, NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function writeConfig(dir: string, lines: string[]): string {
  const path = join(dir, 'health.yml');
  writeFileSync(
    path,
    [`log_file: ${join(dir, 'health.log')}`, `state_dir: ${join(dir, 'state')}`, 'timeout: 5s', ...lines].join('\n') +
      '\n',
  );
  return path;
}

test('test-alert sends one test message through every channel and exits 0 when all worked', async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t, { user: 'u', pass: 'SmtpPass-77' });
  const slack = await startHook(t);
  const hook = await startHook(t, '/hook/tok3n');
  const config = writeConfig(dir, [
    'checks: []',
    'alerts:',
    `  email: { to: [ops@example.com], from: health@web-1.example.com, smtp: "smtp://u:SmtpPass-77@127.0.0.1:${smtp.port}" }`,
    `  slack: { webhook: "${slack.url}" }`,
    `  webhook: { url: "${hook.url}" }`,
  ]);
  const ran = await cli(['test-alert', '--config', config]);
  assert.equal(ran.code, 0, ran.stderr);
  const webhookLabel = `webhook (${new URL(hook.url).host})`;
  assert.equal(
    ran.stdout,
    [
      '✔ email (ops@example.com): sent',
      '✔ slack: sent',
      `✔ ${webhookLabel}: sent`,
      'Test alert sent through all 3 channels: check that it arrived.',
      '',
    ].join('\n'),
  );
  assert.equal(smtp.mails.length, 1);
  assert.match(smtp.mails[0]!.subject, /^\[TEST\] .+: test alert from neuronova-health-check$/);
  assert.equal(slack.received.length, 1);
  assert.equal((hook.received[0] as { alert: { kind: string } }).alert.kind, 'test');
  assert.match(
    readFileSync(join(dir, 'health.log'), 'utf8'),
    new RegExp(
      `INFO: Test alert sent: email \\(ops@example\\.com\\), slack, ${webhookLabel.replace(/[().]/g, '\\$&')}\\n`,
    ),
  );

  const only = await cli(['test-alert', '--config', config, '--channel', 'webhook']);
  assert.equal(only.code, 0);
  assert.equal(hook.received.length, 2);
  assert.equal(slack.received.length, 1);
});

test('test-alert exits 2 when a channel fails, says which and why, and still sends through the others', async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t);
  const slack = await startHook(t);
  slack.mode = { kind: 'status', status: 500 };
  const config = writeConfig(dir, [
    'alerts:',
    `  email: { to: ops@example.com, from: health@web-1.example.com, smtp: "smtp://127.0.0.1:${smtp.port}" }`,
    `  slack: { webhook: "${slack.url}" }`,
  ]);
  const ran = await cli(['test-alert', '--config', config]);
  assert.equal(ran.code, 2);
  assert.match(
    ran.stdout,
    /^✔ email \(ops@example\.com\): sent\n✖ slack: HTTP 500 Internal Server Error: internal_error\n1 of 2 channels failed; fix and try again with `neuronova-health-check test-alert --channel slack`\.\n$/,
  );
  assert.equal(smtp.mails.length, 1);
  const log = readFileSync(join(dir, 'health.log'), 'utf8');
  assert.match(log, /ERROR: Test alert not sent: slack: HTTP 500/);
  assert.doesNotMatch(ran.stdout + ran.stderr + log, /XyZsecretTOKEN|T0SECRET/);
});

test('test-alert without any channel, or for a channel not configured, is a usage error (exit 3)', async (t) => {
  const dir = tempDir(t);
  const none = await cli(['test-alert', '--config', writeConfig(dir, ['checks: []'])]);
  assert.equal(none.code, 3);
  assert.match(
    none.stderr,
    /no alert channel configured: add (alerts\.\w+, )*alerts\.\w+ or alerts\.\w+ to the config \(or set ALERT_EMAIL \/ SLACK_WEBHOOK\)/,
  );
  const slack = await startHook(t);
  const other = await cli([
    'test-alert',
    '--config',
    writeConfig(dir, [`alerts: { slack: { webhook: "${slack.url}" } }`]),
    '--channel',
    'email',
  ]);
  assert.equal(other.code, 3);
  assert.match(other.stderr, /--channel email: no email channel configured \(configured: slack\)/);
});

test('env SLACK_WEBHOOK configures Slack when the file names none', async (t) => {
  const dir = tempDir(t);
  const slack = await startHook(t);
  const ran = await cli(['test-alert', '--config', writeConfig(dir, ['checks: []'])], { SLACK_WEBHOOK: slack.url });
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(slack.received.length, 1);
});

test('runs by the binary: one alert for a new failure, none on the next run, the state remembers', async (t) => {
  const dir = tempDir(t);
  const target = await startTarget(t);
  const slack = await startHook(t);
  target.status.set('/down', 503);
  const config = writeConfig(dir, [
    'checks:',
    `  - { name: api, type: http, url: "${target.base}/down", hint: "restart the api" }`,
    `alerts: { slack: { webhook: "${slack.url}" } }`,
  ]);
  const first = await cli(['--config', config, '--quiet']);
  assert.equal(first.code, 2);
  assert.equal(first.stdout, '');
  const second = await cli(['--config', config, '--quiet']);
  assert.equal(second.code, 2);
  assert.equal(slack.received.length, 1);
  assert.match(String(slack.received[0]!.text), /^\[CRITICAL\] .+: api\n/);
  assert.match(String(slack.received[0]!.text), /hint: restart the api/);
  const log = readFileSync(join(dir, 'health.log'), 'utf8');
  assert.equal(log.match(/INFO: Alert sent: slack\n/g)?.length, 1);
});

test('silence: add, list, shown after a run, cleared; bad input is refused', async (t) => {
  const dir = tempDir(t);
  const config = writeConfig(dir, [
    'checks:',
    '  - { name: nginx, type: tcp, host: 127.0.0.1, port: 1 }',
    '  - { name: db, type: tcp, host: 127.0.0.1, port: 1 }',
  ]);
  const added = await cli(['silence', '--config', config, '--for', '2h', '--reason', 'deploy', 'nginx']);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^Alerts silenced until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(2h\) for nginx — deploy\.\n/);

  const listed = await cli(['silence', '--config', config]);
  assert.match(listed.stdout, /^Alerts silenced until .* \((1h 59m|2h) left\) for nginx — deploy/);

  const run = await cli(['--config', config]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stdout, /\nAlerts silenced until .* left\) for nginx — deploy/);

  const json = JSON.parse((await cli(['silence', '--config', config, '--json'])).stdout);
  assert.equal(json.mutes.length, 1);
  assert.deepEqual(json.mutes[0].checks, ['nginx']);

  const cleared = await cli(['silence', '--config', config, '--clear']);
  assert.equal(cleared.stdout, 'Ended 1 silence: alerts are on again.\n');
  assert.equal(
    (await cli(['silence', '--config', config])).stdout,
    'No silence or maintenance window is in force: alerts are on.\n',
  );

  const badDuration = await cli(['silence', '--config', config, '--for', '2 hours']);
  assert.equal(badDuration.code, 3);
  assert.match(badDuration.stderr, /--for: "2 hours" is not a duration; write it like 30m, 2h or 1d/);
  const badName = await cli(['silence', '--config', config, '--for', '1h', 'ngnix']);
  assert.equal(badName.code, 3);
  assert.match(badName.stderr, /no check named "ngnix" \(did you mean "nginx"\?\)/);
});
