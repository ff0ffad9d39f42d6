// Mail that relays accept and people can read (docs/alerting-delivery.md): 8bit UTF-8 where the server offers 8BITMIME,
// quoted-printable only for one that does not; the default From uses a fully qualified name or warns once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliver } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { emailSchema } from '../../src/notifiers/email.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import { mailHost } from '../../src/notifiers/mail-host.js';
import { openRunLog } from '../../src/run-log.js';
import type { RunReport } from '../../src/types.js';
import { localIso } from '../../src/util/time.js';
import { startSmtp, tempDir } from '../alerts/helpers.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const LONG = `HTTP 502 Bad Gateway from http://127.0.0.1:8000/api/health/ (35 ms) ${'and a long plain ASCII explanation '.repeat(3)}`;

function message(entryMessage: string): AlertMessage {
  return {
    id: 'm1',
    kind: 'problem',
    subject: '[CRITICAL] web-1: django-api',
    host: 'web-1',
    time: localIso(now),
    log_file: '/var/log/neuronova/health_check.log',
    entries: [{ check: 'django-api', kind: 'down', level: 'CRITICAL', message: entryMessage }],
  };
}

async function sendThrough(
  t: Parameters<typeof tempDir>[0],
  options: { hide8BitMime?: boolean; from?: string; host?: string },
  msg: AlertMessage,
) {
  const dir = tempDir(t);
  const smtp = await startSmtp(t, { hide8BitMime: options.hide8BitMime ?? false });
  const cfg = {
    to: 'ops@example.com',
    smtp: `smtp://127.0.0.1:${smtp.port}`,
    ...(options.from ? { from: options.from } : {}),
  };
  const log = openRunLog(
    join(dir, 'log'),
    () => undefined,
    () => now,
  );
  await deliver({
    channels: configuredChannels({ email: emailSchema().parse(cfg) }),
    outbox: {},
    fresh: [msg],
    report: { host: 'web-1' } as RunReport,
    now,
    host: options.host ?? 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
  });
  log.close();
  assert.equal(smtp.bytes.length, 1, readFileSync(join(dir, 'log'), 'utf8'));
  const raw = smtp.bytes[0]!.toString('utf8');
  return {
    raw,
    head: raw.slice(0, raw.indexOf('\r\n\r\n')),
    body: raw.slice(raw.indexOf('\r\n\r\n') + 4),
    log: readFileSync(join(dir, 'log'), 'utf8'),
  };
}

test('UTF-8 text goes as 8bit when the server offers 8BITMIME: the raw message reads as it is', async (t) => {
  const { head, body } = await sendThrough(
    t,
    { from: 'health@web-1.example.com' },
    message('disk 91.2% used — café ≥ 90%'),
  );
  assert.match(head, /^Content-Type: text\/plain; charset=utf-8$/m);
  assert.match(head, /^Content-Transfer-Encoding: 8bit$/m);
  assert.match(body, /django-api — CRITICAL: disk 91\.2% used — café ≥ 90%\r\n/);
  assert.doesNotMatch(body, /=E2=80=94|=\r\n/);
});

test('long ASCII lines are not quoted-printable either', async (t) => {
  const { head, body } = await sendThrough(t, { from: 'health@web-1.example.com' }, message(LONG));
  assert.doesNotMatch(head, /quoted-printable/);
  assert.ok(body.includes(LONG.trim()), body);
});

test('a server without 8BITMIME gets 7bit-safe quoted-printable', async (t) => {
  const { head, body } = await sendThrough(
    t,
    { hide8BitMime: true, from: 'health@web-1.example.com' },
    message('used — café'),
  );
  assert.match(head, /^Content-Transfer-Encoding: quoted-printable$/m);
  assert.match(body, /caf=C3=A9/);
  assert.ok(/^[\x00-\x7f]*$/.test(body), 'only 7-bit bytes in the body');
});

test('default From: a short host name the resolver cannot qualify is used with one WARNING that suggests from:', async (t) => {
  const host = 'nn-test-short-host-unknown';
  const { head, log } = await sendThrough(t, { host }, message('down'));
  assert.match(head, new RegExp(`^From: neuronova-health-check@${host}$`, 'm'));
  assert.match(
    log,
    new RegExp(
      `WARNING: email: the host name "${host}" is not fully qualified .*set alerts\\.email\\.from to an address like health@${host}\\.example\\.com\\n`,
    ),
  );
  // once per process: the next message (here, the next test's run) does not repeat it
  const again = await sendThrough(t, { host }, message('still down'));
  assert.doesNotMatch(again.log, /WARNING/);
});

test('default From: a host name with a dot is used as it is', async () => {
  assert.deepEqual(await mailHost(1000, 'web-1.example.com'), { name: 'web-1.example.com' });
});
