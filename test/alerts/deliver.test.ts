// Delivery from the outbox: order per channel, a failed channel never blocks or doubles another, 24 h limit, stale reminders.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliver } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { enqueue } from '../../src/alerts/outbox.js';
import { readOutbox } from '../../src/alerts/state.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import { openRunLog } from '../../src/run-log.js';
import type { RunReport } from '../../src/types.js';
import { localIso } from '../../src/util/time.js';
import { startHook, tempDir } from './helpers.js';

const now = new Date(2025, 11, 7, 12, 0, 0);
const report = { host: 'web-1' } as RunReport;

function msg(
  id: string,
  kind: AlertMessage['kind'],
  entryKind: 'down' | 'reminder' | 'recovered',
  minutesAgo: number,
  check = 'nginx',
): AlertMessage {
  const level = entryKind === 'recovered' ? 'OK' : 'CRITICAL';
  const word = kind === 'recovered' ? 'RECOVERED' : 'CRITICAL';
  return {
    id,
    kind,
    subject: `[${word}] web-1: ${check}`,
    host: 'web-1',
    time: localIso(new Date(now.getTime() - minutesAgo * 60_000)),
    log_file: '/tmp/x.log',
    entries: [{ check, kind: entryKind, level, message: 'x' }],
  };
}

const item = (message: AlertMessage) => ({ message, first_tried: message.time, attempts: 1, last_error: 'HTTP 500' });

test('pending messages go first, oldest first, then the new ones; a message older than 24 h is dropped and said so', async (t) => {
  const dir = tempDir(t);
  const hook = await startHook(t);
  const log = openRunLog(
    join(dir, 'log'),
    () => undefined,
    () => now,
  );
  const channels = configuredChannels({ slack: { webhook: hook.url } });
  const outbox = await deliver({
    channels,
    // `pager`: a queue left by a channel that is gone from the config (or from this build)
    outbox: {
      slack: [item(msg('ancient', 'problem', 'down', 25 * 60, 'db')), item(msg('old', 'problem', 'down', 30))],
      pager: [item(msg('p', 'problem', 'down', 5))],
    },
    fresh: [msg('new', 'recovered', 'recovered', 0)],
    report,
    now,
    host: 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
  });
  log.close();
  assert.deepEqual(outbox, {});
  assert.deepEqual(
    hook.received.map((p) => String(p.text).split('\n')[0]),
    ['[CRITICAL] web-1: nginx', '[RECOVERED] web-1: nginx'],
  );
  const text = readFileSync(join(dir, 'log'), 'utf8');
  assert.match(
    text,
    /ERROR: Alert dropped: slack could not deliver "\[CRITICAL\] web-1: db" for 24 h \(last error: HTTP 500\)/,
  );
  assert.match(
    text,
    /INFO: Alert outbox: 1 undelivered message\(s\) for pager dropped: the channel is no longer configured/,
  );
  assert.match(
    text,
    /INFO: Alert \(retry, first tried 2025-12-07 11:30:00\): \[CRITICAL\] web-1: nginx\n.*INFO: Alert sent: slack\n.*INFO: Alert: \[RECOVERED\] web-1: nginx\n.*INFO: Alert sent: slack\n/,
  );
});

test('a failing channel keeps everything in order for later; the working one delivers once', async (t) => {
  const dir = tempDir(t);
  const broken = await startHook(t);
  broken.mode = { kind: 'status', status: 502 };
  const working = await startHook(t, '/hook');
  const log = openRunLog(
    join(dir, 'log'),
    () => undefined,
    () => now,
  );
  const channels = configuredChannels({ slack: { webhook: broken.url }, webhook: { url: working.url, headers: {} } });
  const fresh = [msg('r', 'recovered', 'recovered', 0, 'a'), msg('p', 'problem', 'down', 0, 'b')];
  const outbox = await deliver({
    channels,
    outbox: {},
    fresh,
    report,
    now,
    host: 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
  });
  log.close();
  assert.equal(working.received.length, 2);
  assert.deepEqual(
    outbox.slack!.map((i) => [i.message.id, i.attempts]),
    [
      ['r', 1],
      ['p', 0],
    ],
  );
  assert.equal(outbox.webhook, undefined);
  const text = readFileSync(join(dir, 'log'), 'utf8');
  assert.match(
    text,
    /ERROR: Alert not sent: slack: HTTP 502 Bad Gateway: internal_error; kept to retry on the next runs until 2025-12-08 12:00:00/,
  );
  assert.match(text, /ERROR: Alert not sent: slack: waits behind an older undelivered message \(HTTP 502/);
  assert.doesNotMatch(text, /XyZsecretTOKEN/);
  // the outbox survives a trip through the state file
  assert.deepEqual(readOutbox({ version: 1, checks: {}, outbox: JSON.parse(JSON.stringify(outbox)) }).outbox, outbox);
});

test('a newer message about the same checks replaces queued reminders; a DOWN is never replaced', () => {
  const down = msg('d', 'problem', 'down', 120);
  const reminder1 = msg('r1', 'problem', 'reminder', 60);
  const reminder2 = msg('r2', 'problem', 'reminder', 0);
  let queue = enqueue([], down).queue;
  queue = enqueue(queue, reminder1).queue;
  const result = enqueue(queue, reminder2);
  assert.deepEqual(
    result.queue.map((i) => i.message.id),
    ['d', 'r2'],
  );
  assert.deepEqual(
    result.superseded.map((i) => i.message.id),
    ['r1'],
  );
});

test('unreadable outbox entries are dropped and counted, the rest kept', () => {
  const good = item(msg('ok', 'problem', 'down', 1));
  // `pager` is no channel of this build: kept here, dropped by deliver() with "the channel is no longer configured".
  const { outbox, unreadable } = readOutbox({
    version: 1,
    checks: {},
    outbox: { slack: [good, { message: { id: 3 } }, 'junk'], pager: [good], 'Not a kind': [good] },
  });
  assert.deepEqual(outbox, { slack: [good], pager: [good] });
  assert.equal(unreadable, 3);
});

test('handed over = remembered: the outbox is saved with the new message before sending, and without it once accepted', async (t) => {
  const dir = tempDir(t);
  const hook = await startHook(t);
  const log = openRunLog(
    join(dir, 'log'),
    () => undefined,
    () => now,
  );
  const saved: string[][] = [];
  const outbox = await deliver({
    channels: configuredChannels({ slack: { webhook: hook.url } }),
    outbox: {},
    fresh: [msg('p', 'problem', 'down', 0)],
    report,
    now,
    host: 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
    remember: (pending) => {
      // what the server has at the moment of each save
      saved.push([`received ${hook.received.length}`, ...(pending.slack ?? []).map((i) => i.message.id)]);
      return true;
    },
  });
  log.close();
  assert.deepEqual(saved, [['received 0', 'p'], ['received 1']]);
  assert.deepEqual(outbox, {});
});

test('when the state can be saved nowhere, nothing is sent (it would go out again on every run), and the log says so', async (t) => {
  const dir = tempDir(t);
  const hook = await startHook(t);
  const log = openRunLog(
    join(dir, 'log'),
    () => undefined,
    () => now,
  );
  const pending = { slack: [item(msg('old', 'problem', 'down', 30))] };
  const outbox = await deliver({
    channels: configuredChannels({ slack: { webhook: hook.url } }),
    outbox: pending,
    fresh: [msg('p', 'problem', 'down', 0, 'db')],
    report,
    now,
    host: 'web-1',
    remainingMs: () => 10_000,
    sendTimeoutMs: 5000,
    log,
    remember: () => false,
  });
  log.close();
  assert.equal(hook.requests, 0);
  assert.deepEqual(outbox, pending, 'what was pending stays pending');
  assert.match(
    readFileSync(join(dir, 'log'), 'utf8'),
    /ERROR: Alert not sent: the state cannot be saved anywhere, so it could not be remembered and would go out again on every run: \[CRITICAL\] web-1: db/,
  );
});
