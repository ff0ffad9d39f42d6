// A scripted outage through the real runChecks, a real SMTP server and a Slack-like server, on a controllable clock:
// every message counted, in order, none doubled, none lost, no secret anywhere.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addSilence } from '../../src/alerts/silences.js';
import { parseConfigText } from '../../src/config/load.js';
import { runChecks } from '../../src/run.js';
import {
  mailBody,
  startHook,
  startSmtp,
  startTarget,
  tempDir,
  type HookServer,
  type SmtpServerHandle,
} from '../alerts/helpers.js';

const SMTP_PASSWORD = 'smtp-Secret-9';
const START = new Date(2025, 11, 6, 14, 0, 0);

interface World {
  dir: string;
  target: { base: string; status: Map<string, number> };
  smtp: SmtpServerHandle;
  slack: HookServer;
  problems: string[];
  /** Run once at the current clock, then move the clock 5 minutes on. */
  run(options?: { only?: string[]; alert?: boolean }): Promise<void>;
  clock: Date;
  log(): string;
  emails(): string[];
  slacks(): string[];
}

async function world(
  t: Parameters<typeof tempDir>[0] & { after(fn: () => Promise<void> | void): void },
  alertsYaml = '',
): Promise<World> {
  const dir = tempDir(t);
  const target = await startTarget(t);
  const smtp = await startSmtp(t, { user: 'alerts', pass: SMTP_PASSWORD });
  const slack = await startHook(t);
  const yaml = [
    `log_file: ${join(dir, 'health.log')}`,
    `state_dir: ${join(dir, 'state')}`,
    'timeout: 5s',
    'deadline: 20s',
    'checks:',
    `  - { name: nginx, type: http, url: "${target.base}/nginx", hint: "sudo systemctl restart nginx" }`,
    `  - { name: django-api, type: http, url: "${target.base}/api", depends_on: [nginx] }`,
    `  - { name: static, type: http, url: "${target.base}/static" }`,
    'alerts:',
    '  after: 2',
    '  repeat: 1h',
    `  email: { to: [ops@example.com, dev@example.com], from: "health@web-1.example.com", smtp: "smtp://alerts:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}" }`,
    `  slack: { webhook: "${slack.url}" }`,
    alertsYaml,
  ].join('\n');
  const config = parseConfigText(yaml, 'test.yml', {});
  const w: World = {
    dir,
    target,
    smtp,
    slack,
    problems: [],
    clock: START,
    async run(options = {}) {
      const at = w.clock;
      await runChecks({
        config,
        alert: options.alert ?? true,
        onProblem: (p) => w.problems.push(p),
        clock: () => at,
        host: 'web-1',
        ...(options.only ? { only: options.only } : {}),
      });
      w.clock = new Date(at.getTime() + 5 * 60_000);
    },
    log: () => readFileSync(join(dir, 'health.log'), 'utf8'),
    emails: () => smtp.mails.map((mail) => mail.subject),
    slacks: () => slack.received.map((payload) => String(payload.text).split('\n')[0]!),
  };
  return w;
}

function assertNoSecret(w: World): void {
  const everything = [
    w.log(),
    readFileSync(join(w.dir, 'state', 'state.json'), 'utf8'),
    ...w.problems,
    ...w.smtp.mails.map((mail) => mail.raw),
    ...w.slack.received.map((payload) => JSON.stringify(payload)),
  ].join('\n');
  for (const secret of [SMTP_PASSWORD, 'XyZsecretTOKEN', 'T0SECRET', 'B0SECRET'])
    assert.ok(!everything.includes(secret), `secret ${secret} leaked`);
}

test('an outage from first failure to recovery, then a Slack outage during the next incident', async (t) => {
  const w = await world(t);
  const count = () => ({ email: w.emails().length, slack: w.slacks().length });

  await w.run(); // 14:00 all OK
  w.target.status.set('/nginx', 502);
  w.target.status.set('/api', 502);
  await w.run(); // 14:05 failing once: below `after: 2`
  assert.deepEqual(count(), { email: 0, slack: 0 });

  await w.run(); // 14:10 second failing run: announced, the API folded under nginx
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: nginx']);
  assert.deepEqual(w.slacks(), ['[CRITICAL] web-1: nginx']);
  const first = mailBody(w.smtp.mails[0]!.raw);
  assert.match(first, /nginx — CRITICAL: HTTP 502 Bad Gateway; failing for 5m \(since 2025-12-06 14:05:00\)/);
  assert.match(first, /also failing because of it: django-api/);
  assert.match(first, /hint: sudo systemctl restart nginx/);
  assert.match(w.log(), /\] INFO: Alert sent: email \(ops@example\.com, dev@example\.com\), slack\n/);

  for (let i = 0; i < 11; i++) await w.run(); // 14:15 … 15:05: inside `repeat`
  assert.deepEqual(count(), { email: 1, slack: 1 });

  await w.run(); // 15:10: an hour after the announcement, one reminder
  assert.deepEqual(count(), { email: 2, slack: 2 });
  assert.match(
    mailBody(w.smtp.mails[1]!.raw),
    /nginx — still CRITICAL, failing for 1h 5m \(since 2025-12-06 14:05:00\)/,
  );

  w.target.status.delete('/nginx');
  w.target.status.delete('/api');
  await w.run(); // 15:15 recovered
  assert.deepEqual(w.emails().slice(2), ['[RECOVERED] web-1: nginx']);
  assert.match(
    mailBody(w.smtp.mails[2]!.raw),
    /nginx — OK again after 1h 10m down \(failing since 2025-12-06 14:05:00\)/,
  );
  await w.run(); // 15:20 quiet
  assert.deepEqual(count(), { email: 3, slack: 3 });

  // The next incident, during a Slack outage.
  w.slack.mode = { kind: 'status', status: 500 };
  w.target.status.set('/api', 503);
  await w.run(); // 15:25 once
  await w.run(); // 15:30 announced: email gets it, Slack fails and keeps it
  assert.deepEqual(w.emails().slice(3), ['[CRITICAL] web-1: django-api']);
  assert.equal(w.slacks().length, 3);
  assert.match(
    w.log(),
    /ERROR: Alert not sent: slack: HTTP 500 Internal Server Error: internal_error; kept to retry on the next runs until 2025-12-07 15:30:00\n/,
  );
  await w.run(); // 15:35 Slack still down: retried, failed again, email not re-sent
  assert.equal(w.emails().length, 4);
  const state = JSON.parse(readFileSync(join(w.dir, 'state', 'state.json'), 'utf8'));
  assert.equal(state.outbox.slack.length, 1);
  assert.equal(state.outbox.slack[0].attempts, 2);

  w.slack.mode = { kind: 'ok' };
  w.target.status.delete('/api');
  await w.run(); // 15:40 Slack is back and the API recovered: the old DOWN first, then its RECOVERED
  assert.deepEqual(w.slacks().slice(3), ['[CRITICAL] web-1: django-api', '[RECOVERED] web-1: django-api']);
  assert.match(String(w.slack.received[3]!.text), /Delivered late: this message is from 2025-12-06 15:30:00/);
  assert.deepEqual(w.emails().slice(4), ['[RECOVERED] web-1: django-api']);
  assert.match(
    w.log(),
    /INFO: Alert \(retry, first tried 2025-12-06 15:30:00\): \[CRITICAL\] web-1: django-api\n.*INFO: Alert sent: slack\n/,
  );

  for (let i = 0; i < 3; i++) await w.run(); // quiet again, nothing left over
  assert.deepEqual(w.emails(), [
    '[CRITICAL] web-1: nginx',
    '[CRITICAL] web-1: nginx',
    '[RECOVERED] web-1: nginx',
    '[CRITICAL] web-1: django-api',
    '[RECOVERED] web-1: django-api',
  ]);
  assert.deepEqual(w.slacks(), [
    '[CRITICAL] web-1: nginx',
    '[CRITICAL] web-1: nginx',
    '[RECOVERED] web-1: nginx',
    '[CRITICAL] web-1: django-api',
    '[RECOVERED] web-1: django-api',
  ]);
  assert.equal(JSON.parse(readFileSync(join(w.dir, 'state', 'state.json'), 'utf8')).outbox, undefined);
  assert.deepEqual(w.problems, []);
  assertNoSecret(w);
});

test('SMTP down while Slack works: Slack is not sent twice, email catches up in order', async (t) => {
  const w = await world(t, '  recover_after: 1');
  w.smtp.failing = true;
  w.target.status.set('/static', 500);
  await w.run();
  await w.run(); // announced: Slack yes, email no
  assert.deepEqual(w.slacks(), ['[CRITICAL] web-1: static']);
  assert.deepEqual(w.emails(), []);
  assert.match(w.log(), /ERROR: Alert not sent: email \(ops@example\.com, dev@example\.com\): .*451/);
  await w.run(); // still failing: email retried and failing; Slack hears nothing new
  w.smtp.failing = false;
  w.target.status.delete('/static');
  await w.run(); // recovered: email sends DOWN then RECOVERED; Slack only RECOVERED
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: static', '[RECOVERED] web-1: static']);
  assert.deepEqual(w.slacks(), ['[CRITICAL] web-1: static', '[RECOVERED] web-1: static']);
  assertNoSecret(w);
});

test('a corrupt state file is reported and replaced: one re-announcement, no flood', async (t) => {
  const w = await world(t);
  w.target.status.set('/static', 500);
  await w.run();
  await w.run();
  assert.equal(w.emails().length, 1);
  writeFileSync(join(w.dir, 'state', 'state.json'), '{"version":1,"checks":{"static":{"alert":{"annou');
  for (let i = 0; i < 6; i++) await w.run();
  assert.match(w.problems.join('\n'), /state file .*state\.json was corrupt/);
  assert.match(w.log(), /ERROR: state file .*state\.json was corrupt/);
  // the lost state cannot tell it was announced: it is told once more (after `after` runs), then quiet
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: static', '[CRITICAL] web-1: static']);
  assert.equal(w.slacks().length, 2);
  JSON.parse(readFileSync(join(w.dir, 'state', 'state.json'), 'utf8')); // valid again
});

test('--only alerts for none of the other checks; --no-alert sends nothing and leaves the alert to the next run', async (t) => {
  const w = await world(t, '  recover_after: 1');
  w.target.status.set('/nginx', 500);
  await w.run({ only: ['static'] });
  await w.run({ only: ['static'] });
  await w.run({ only: ['static'] });
  assert.deepEqual(w.emails(), []);

  await w.run(); // cron: first failing run of nginx (below `after: 2`)
  await w.run({ alert: false }); // an operator's manual run: it would alert, but must not, nor swallow it
  assert.deepEqual(w.emails(), []);
  assert.match(w.log(), /INFO: Alert not sent \(--no-alert\): \[CRITICAL\] web-1: nginx/);
  await w.run(); // cron's next run sends what the manual run did not
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: nginx']);
  await w.run({ alert: false });
  await w.run();
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: nginx']);
});

test('a silence mutes messages, not checks; what still fails when it ends is announced', async (t) => {
  const w = await world(t);
  await addSilence(
    { stateDir: join(w.dir, 'state'), deadlineMs: 20_000 },
    { checks: [], forMs: 30 * 60_000, reason: 'deploy' },
    START,
  );
  w.target.status.set('/static', 500);
  for (let i = 0; i < 6; i++) await w.run(); // 14:00 … 14:25, all inside the silence
  assert.deepEqual(w.emails(), []);
  assert.match(w.log(), /ERROR: static: HTTP 500/); // still checked and logged
  assert.match(
    w.log(),
    /INFO: Alerts muted \(silence until 2025-12-06 14:30:00: deploy\): static failing; told when it ends if still so/,
  );
  await w.run(); // 14:30: the silence is over
  assert.deepEqual(w.emails(), ['[CRITICAL] web-1: static']);
  assert.match(mailBody(w.smtp.mails[0]!.raw), /began while alerts were muted by a silence/);
});

test('a state_dir that cannot be written sends nothing (it could not remember it) and says so', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'not-a-dir'), '');
  const hook = await startHook(t);
  const yaml = [
    `log_file: ${join(dir, 'health.log')}`,
    `state_dir: ${join(dir, 'not-a-dir', 'state')}`,
    'checks: [{ name: broken, type: tcp, host: 127.0.0.1, port: 1 }]',
    `alerts: { slack: { webhook: "${hook.url}" } }`,
  ].join('\n');
  const problems: string[] = [];
  const config = parseConfigText(yaml, 'test.yml', {});
  await runChecks({ config, alert: true, onProblem: (p) => problems.push(p), host: 'web-1' });
  assert.equal(hook.requests, 0);
  assert.match(problems.join('\n'), /cannot use state_dir/);
  assert.match(
    readFileSync(join(dir, 'health.log'), 'utf8'),
    /ERROR: Alert not sent: state_dir .* cannot be written, so it could not be remembered: \[CRITICAL\] web-1: broken/,
  );
});
