// Email channel against a real SMTP server on 127.0.0.1 (auth, STARTTLS, smtps) and a fake sendmail program.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendOne } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { emailSchema, findSendmail } from '../../src/notifiers/email.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import { localIso } from '../../src/util/time.js';
import { errorOf, mailBody, startSmtp, tempDir } from '../alerts/helpers.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const message: AlertMessage = {
  id: 'm1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx, flask',
  host: 'web-1',
  time: localIso(now),
  log_file: '/var/log/neuronova/health_check.log',
  entries: [
    {
      check: 'nginx',
      kind: 'down',
      level: 'CRITICAL',
      message: 'inactive (dead)',
      hint: 'sudo systemctl restart nginx',
    },
    { check: 'flask', kind: 'down', level: 'CRITICAL', message: 'failed' },
  ],
};

function send(cfg: Record<string, unknown>, timeoutMs = 5000) {
  const channel = configuredChannels({ email: emailSchema().parse(cfg) })[0]!;
  return {
    channel,
    result: sendOne(
      channel,
      { message },
      { sendTimeoutMs: timeoutMs, remainingMs: () => timeoutMs, now, host: 'web-1' },
    ).then(errorOf),
  };
}

test('SMTP with AUTH: one message to several recipients, subject and body as the alert says', async (t) => {
  const smtp = await startSmtp(t, { user: 'alerts', pass: 'p@ss w0rd!' });
  const { channel, result } = send({
    to: ['ops@example.com', 'dev@example.com'],
    from: 'health@web-1.example.com',
    smtp: `smtp://alerts:${encodeURIComponent('p@ss w0rd!')}@127.0.0.1:${smtp.port}`,
  });
  assert.equal(channel.label, 'email (ops@example.com, dev@example.com)');
  assert.equal(await result, undefined);
  assert.equal(smtp.mails.length, 1);
  const mail = smtp.mails[0]!;
  assert.equal(mail.user, 'alerts');
  assert.deepEqual(mail.to, ['ops@example.com', 'dev@example.com']);
  assert.equal(mail.from, 'health@web-1.example.com');
  assert.equal(mail.subject, '[CRITICAL] web-1: nginx, flask');
  const body = mailBody(mail.raw);
  assert.match(body, /^Time: 2025-12-06 14:35:01/);
  assert.match(body, /nginx — CRITICAL: inactive \(dead\)\n {2}hint: sudo systemctl restart nginx/);
  assert.match(
    body,
    /More: run `neuronova-health-check run` on web-1, or read its log \/var\/log\/neuronova\/health_check\.log/,
  );
  assert.match(mail.raw, /^Auto-Submitted: auto-generated/m);
});

test("a wrong password fails with the server's reason and never shows the password", async (t) => {
  const smtp = await startSmtp(t, { user: 'alerts', pass: 'right-password' });
  const error = (await send({ to: 'ops@example.com', smtp: `smtp://alerts:wrong-password-42@127.0.0.1:${smtp.port}` })
    .result)!;
  assert.match(error, /Invalid (login|username or password)|535/i);
  assert.doesNotMatch(error, /wrong-password-42/);
  assert.equal(smtp.mails.length, 0);
});

test('a server that refuses the message (451) is a failure', async (t) => {
  const smtp = await startSmtp(t);
  smtp.failing = true;
  const error = (await send({ to: 'ops@example.com', smtp: `smtp://127.0.0.1:${smtp.port}` }).result)!;
  assert.match(error, /451/);
});

test('STARTTLS: required with starttls: true; a self-signed server needs tls_verify: false', async (t) => {
  const smtp = await startSmtp(t, { user: 'u', pass: 'secret-pw', starttls: true });
  const url = `smtp://u:secret-pw@127.0.0.1:${smtp.port}`;
  const refused = (await send({ to: 'ops@example.com', smtp: url, starttls: true }).result)!;
  assert.match(refused, /certificate|self[- ]signed/i);
  assert.equal(await send({ to: 'ops@example.com', smtp: url, starttls: true, tls_verify: false }).result, undefined);
  assert.equal(smtp.mails.length, 1);
});

test('smtps:// speaks TLS from the first byte', async (t) => {
  const smtp = await startSmtp(t, { secure: true });
  assert.equal(
    await send({ to: 'ops@example.com', smtp: `smtps://127.0.0.1:${smtp.port}`, tls_verify: false }).result,
    undefined,
  );
  assert.equal(smtp.mails.length, 1);
});

test('an SMTP server that is down is reported, password masked', async (t) => {
  const smtp = await startSmtp(t, { user: 'u', pass: 'pw-nobody-sees' });
  const port = smtp.port;
  await smtp.close();
  const error = (await send({ to: 'ops@example.com', smtp: `smtp://u:pw-nobody-sees@127.0.0.1:${port}` }).result)!;
  assert.match(error, /ECONNREFUSED|connect/i);
  assert.doesNotMatch(error, /pw-nobody-sees/);
});

test('sendmail: the program gets -i, the sender and every recipient, and the message on stdin', async (t) => {
  const dir = tempDir(t);
  const capture = join(dir, 'captured');
  const program = join(dir, 'sendmail');
  writeFileSync(program, `#!/bin/sh\nprintf '%s\\n' "$@" > '${capture}.args'\ncat > '${capture}.mail'\n`);
  chmodSync(program, 0o755);
  assert.equal(
    await send({ to: ['ops@example.com', 'dev@example.com'], from: 'health@web-1', sendmail: program }).result,
    undefined,
  );
  assert.deepEqual(readFileSync(`${capture}.args`, 'utf8').trim().split('\n'), [
    '-i',
    '-f',
    'health@web-1',
    'ops@example.com',
    'dev@example.com',
  ]);
  const mail = readFileSync(`${capture}.mail`, 'utf8');
  assert.match(mail, /^Subject: \[CRITICAL\] web-1: nginx, flask$/m);
  assert.match(mailBody(mail), /nginx — CRITICAL: inactive \(dead\)/);
});

test('sendmail that fails is a failure; sendmail: true finds the program on PATH, then /usr/sbin', async (t) => {
  const dir = tempDir(t);
  const program = join(dir, 'sendmail');
  writeFileSync(program, '#!/bin/sh\ncat >/dev/null\necho "sendmail: no route" >&2\nexit 75\n');
  chmodSync(program, 0o755);
  assert.match((await send({ to: 'ops@example.com', sendmail: program }).result)!, /75|sendmail/i);
  assert.equal(findSendmail(true, { PATH: `/nonexistent:${dir}` }), program);
  assert.equal(findSendmail('/opt/x/sendmail', { PATH: '' }), '/opt/x/sendmail');
});

test('the email config is refused without smtp or sendmail, or with a bad address', () => {
  assert.throws(() => emailSchema().parse({ to: 'ops@example.com' }), /needs smtp/);
  assert.throws(() => emailSchema().parse({ to: 'ops', sendmail: true }), /email address/);
  assert.throws(() => emailSchema().parse({ to: 'ops@example.com', sendmail: true, smtp: 'smtp://x' }), /not both/);
});
