// Honest delivery per recipient (docs/alerting-delivery.md), against a real smtp-server that answers 550 5.1.1 for one
// RCPT and 450 for another: the refused address is an ERROR naming it, the deferred one is retried alone, the accepted
// one is not paged twice; and "sent" for Slack only when Slack answered "ok".
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliver } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { type Outbox, readOutbox } from '../../src/alerts/state.js';
import { emailSchema } from '../../src/notifiers/email.js';
import { type Channel, configuredChannels } from '../../src/notifiers/index.js';
import { openRunLog } from '../../src/run-log.js';
import type { RunReport } from '../../src/types.js';
import { localIso } from '../../src/util/time.js';
import { runCli } from '../helpers/cli.js';
import { startHook, startSmtp, tempDir } from './helpers.js';

const start = new Date(2025, 11, 7, 12, 0, 0);
const report = { host: 'web-1' } as RunReport;

function msg(id: string, kind: AlertMessage['kind'], minutes: number): AlertMessage {
  const word = kind === 'recovered' ? 'RECOVERED' : 'CRITICAL';
  return {
    id,
    kind,
    subject: `[${word}] web-1: nginx`,
    host: 'web-1',
    time: localIso(new Date(start.getTime() + minutes * 60_000)),
    log_file: '/tmp/x.log',
    entries: [
      {
        check: 'nginx',
        kind: kind === 'recovered' ? 'recovered' : 'down',
        level: kind === 'recovered' ? 'OK' : 'CRITICAL',
        message: 'x',
      },
    ],
  };
}

/** One delivery as a run makes it: a run log at `logPath` (appended), the outbox handed in, what is left returned. */
async function deliverRun(
  channels: Channel[],
  logPath: string,
  fresh: AlertMessage[],
  { now = start, outbox = {} }: { now?: Date; outbox?: Outbox } = {},
): Promise<Outbox> {
  const log = openRunLog(
    logPath,
    () => undefined,
    () => now,
  );
  const next = await deliver({
    channels,
    outbox,
    fresh,
    report,
    now,
    host: 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
  });
  log.close();
  return next;
}

const TO = ['ops@example.com', 'typo-oncall@example.com', 'busy@example.com'];

test('550 for one address, 450 for another: ERROR names the refused one, only the deferred one is retried', async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t);
  smtp.refuse['typo-oncall@example.com'] = [
    550,
    '5.1.1 <typo-oncall@example.com>: Recipient address rejected: User unknown',
  ];
  smtp.refuse['busy@example.com'] = [450, '4.2.1 Mailbox busy, try again later'];
  const channels = configuredChannels({
    email: emailSchema().parse({ to: TO, from: 'health@web-1.example.com', smtp: `smtp://127.0.0.1:${smtp.port}` }),
  });
  const logPath = join(dir, 'health.log');
  const run = (minutes: number, fresh: AlertMessage[], outbox: Outbox = {}) =>
    deliverRun(channels, logPath, fresh, { now: new Date(start.getTime() + minutes * 60_000), outbox });

  // Run 1: the DOWN message. ops gets it, typo is refused for good, busy is told to come back.
  const afterFirst = await run(0, [msg('down', 'problem', 0)]);
  assert.equal(smtp.mails.length, 1);
  assert.deepEqual(smtp.mails[0]!.to, ['ops@example.com']);
  const log1 = readFileSync(logPath, 'utf8');
  assert.match(log1, /INFO: Alert sent: email \(ops@example\.com\)\n/);
  assert.doesNotMatch(log1, /Alert sent: email \(ops@example\.com, typo/);
  assert.match(
    log1,
    /ERROR: Alert refused for good: email \(typo-oncall@example\.com\): typo-oncall@example\.com: 550 5\.1\.1 <typo-oncall@example\.com>: Recipient address rejected: User unknown; not retried \(fix alerts\.email\.to\)\n/,
  );
  assert.match(
    log1,
    /ERROR: Alert not sent: email \(busy@example\.com\): busy@example\.com: 450 4\.2\.1 Mailbox busy, try again later; kept to retry/,
  );
  // The state keeps the message for busy alone.
  const { outbox } = readOutbox({ outbox: JSON.parse(JSON.stringify(afterFirst)) } as never);
  assert.deepEqual(
    outbox.email?.map((i) => [i.message.id, i.recipients]),
    [['down', ['busy@example.com']]],
  );

  // Run 2 (busy still busy): the RECOVERED goes to ops now, and waits behind the DOWN for busy (order per recipient).
  const afterSecond = await run(5, [msg('up', 'recovered', 5)], afterFirst);
  assert.deepEqual(
    smtp.mails.map((m) => [m.subject, m.to]),
    [
      ['[CRITICAL] web-1: nginx', ['ops@example.com']],
      ['[RECOVERED] web-1: nginx', ['ops@example.com']],
    ],
  );
  assert.deepEqual(
    afterSecond.email?.map((i) => [i.message.id, i.recipients]),
    [
      ['down', ['busy@example.com']],
      ['up', ['busy@example.com']],
    ],
  );

  // Run 3: busy takes mail again; it gets both, in order; nobody else gets a second copy, typo is never tried again.
  delete smtp.refuse['busy@example.com'];
  const afterThird = await run(10, [], afterSecond);
  assert.deepEqual(
    smtp.mails.slice(2).map((m) => [m.subject, m.to]),
    [
      ['[CRITICAL] web-1: nginx', ['busy@example.com']],
      ['[RECOVERED] web-1: nginx', ['busy@example.com']],
    ],
  );
  assert.deepEqual(afterThird, {});
  // typo is refused once per message (the RECOVERED was a new one), never again for the same one
  const later = readFileSync(logPath, 'utf8').slice(log1.length);
  assert.equal((later.match(/Alert refused for good: email \(typo-oncall@example\.com\)/g) ?? []).length, 1, later);
  assert.doesNotMatch(later.split('12:10:00').slice(1).join(''), /typo-oncall/);
  assert.match(
    later,
    /ERROR: Alert not sent: email \(busy@example\.com\): waits behind an older undelivered message \(450 4\.2\.1 Mailbox busy, try again later\)/,
  );
  // Every copy names all three in To: (who else was paged), the envelope only who it is for.
  assert.match(smtp.mails[2]!.raw, /^To: ops@example\.com, typo-oncall@example\.com, busy@example\.com\r?$/m);
});

test('every recipient refused: 550s are not retried, 450s are; nothing is called sent', async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t);
  smtp.refuse['ops@example.com'] = [550, '5.1.1 User unknown'];
  smtp.refuse['busy@example.com'] = [450, '4.2.1 Try later'];
  const channels = configuredChannels({
    email: emailSchema().parse({
      to: ['ops@example.com', 'busy@example.com'],
      from: 'health@web-1.example.com',
      smtp: `smtp://127.0.0.1:${smtp.port}`,
    }),
  });
  const next = await deliverRun(channels, join(dir, 'log'), [msg('down', 'problem', 0)]);
  const text = readFileSync(join(dir, 'log'), 'utf8');
  assert.doesNotMatch(text, /Alert sent/);
  assert.match(
    text,
    /ERROR: Alert refused for good: email \(ops@example\.com\): ops@example\.com: 550 5\.1\.1 User unknown; not retried/,
  );
  assert.deepEqual(
    next.email?.map((i) => i.recipients),
    [['busy@example.com']],
  );
  assert.equal(smtp.mails.length, 0);
});

test("test-alert names the refused address and the server's answer, exit 2", async (t) => {
  const dir = tempDir(t);
  const smtp = await startSmtp(t);
  smtp.refuse['typo-oncall@example.com'] = [550, '5.1.1 User unknown'];
  const config = join(dir, 'c.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'checks: []',
      'alerts:',
      `  email: { to: [ops@example.com, typo-oncall@example.com], from: health@web-1.example.com, smtp: "smtp://127.0.0.1:${smtp.port}" }`,
      '',
    ].join('\n'),
  );
  const result = await runCli(['test-alert', '--config', config]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(
    result.stdout,
    [
      '✔ email (ops@example.com): sent',
      '✖ email (typo-oncall@example.com): refused for good: 550 5.1.1 User unknown',
      '1 of 1 channel failed; fix and try again with `neuronova-health-check test-alert --channel email`.',
      '',
    ].join('\n'),
  );
  const log = readFileSync(join(dir, 'health.log'), 'utf8');
  assert.match(log, /INFO: Test alert sent: email \(ops@example\.com\)\n/);
  assert.match(
    log,
    /ERROR: Test alert not sent: email \(typo-oncall@example\.com\): refused for good: 550 5\.1\.1 User unknown\n/,
  );
});

test('Slack: HTTP 200 without the body "ok" is not sent', async (t) => {
  const dir = tempDir(t);
  const hook = await startHook(t);
  hook.mode = { kind: 'status', status: 200 };
  const channels = configuredChannels({ slack: { webhook: hook.url } });
  const next = await deliverRun(channels, join(dir, 'log'), [msg('down', 'problem', 0)]);
  const text = readFileSync(join(dir, 'log'), 'utf8');
  assert.doesNotMatch(text, /Alert sent/);
  assert.match(
    text,
    /ERROR: Alert not sent: slack: HTTP 200 but the answer was "internal_error", not Slack's "ok"; kept to retry/,
  );
  assert.equal(next.slack?.length, 1);
});
