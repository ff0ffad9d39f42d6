// Generic webhook against a real local receiver: the §6 report plus the transition, custom headers, nothing secret in errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendOne } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import { webhookSchema } from '../../src/notifiers/webhook.js';
import type { RunReport } from '../../src/types.js';
import { localIso } from '../../src/util/time.js';
import { errorOf, startHook } from '../alerts/helpers.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const report: RunReport = {
  status: 'unhealthy',
  level: 'CRITICAL',
  timestamp: Math.floor(now.getTime() / 1000),
  time: localIso(now),
  host: 'web-1',
  duration_ms: 12.3,
  services: { nginx: { type: 'systemd', level: 'CRITICAL', status: 'unhealthy', message: 'inactive (dead)' } },
  summary: { ok: 0, warning: 0, critical: 1, unknown: 0 },
};
const message: AlertMessage = {
  id: 'm1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx',
  host: 'web-1',
  time: localIso(now),
  log_file: '/tmp/health.log',
  entries: [{ check: 'nginx', kind: 'down', level: 'CRITICAL', message: 'inactive (dead)' }],
  report,
};

function channel(url: string) {
  const cfg = webhookSchema().parse({ url, headers: { Authorization: 'Bearer s3cr3t-hook-token' } });
  return configuredChannels({ webhook: cfg })[0]!;
}

test('POSTs the run report with the transition under `alert`, and the configured headers', async (t) => {
  const hook = await startHook(t, '/hooks/abc123');
  const error = await sendOne(
    channel(hook.url),
    { message },
    { sendTimeoutMs: 5000, remainingMs: () => 5000, now, host: 'web-1' },
  ).then(errorOf);
  assert.equal(error, undefined);
  const body = hook.received[0]! as Record<string, any>;
  assert.equal(body.status, 'unhealthy');
  assert.equal(body.services.nginx.level, 'CRITICAL');
  assert.deepEqual(body.summary, report.summary);
  assert.equal(body.alert.kind, 'problem');
  assert.equal(body.alert.subject, '[CRITICAL] web-1: nginx');
  assert.deepEqual(body.alert.checks, [
    { check: 'nginx', kind: 'down', level: 'CRITICAL', message: 'inactive (dead)' },
  ]);
  assert.match(body.alert.text, /nginx — CRITICAL: inactive \(dead\)/);
  assert.equal(hook.headers[0]!.authorization, 'Bearer s3cr3t-hook-token');
});

test('a failing webhook is named by host only; its path and headers never show', async (t) => {
  const hook = await startHook(t, '/hooks/abc123');
  hook.mode = { kind: 'status', status: 503 };
  const ch = channel(hook.url);
  assert.equal(ch.label, `webhook (${new URL(hook.url).host})`);
  const error = (await sendOne(
    ch,
    { message },
    { sendTimeoutMs: 5000, remainingMs: () => 5000, now, host: 'web-1' },
  ).then(errorOf))!;
  assert.match(error, /^HTTP 503 Service Unavailable/);
  await hook.close();
  const refused = (await sendOne(
    ch,
    { message },
    { sendTimeoutMs: 5000, remainingMs: () => 5000, now, host: 'web-1' },
  ).then(errorOf))!;
  assert.doesNotMatch(refused + error, /abc123|s3cr3t/);
});

test('a 4xx no retry can fix (410 Gone) is refused for good; a 503 is left to retry', async (t) => {
  const hook = await startHook(t, '/hooks/abc123');
  const ch = channel(hook.url);
  const send = () => sendOne(ch, { message }, { sendTimeoutMs: 5000, remainingMs: () => 5000, now, host: 'web-1' });
  hook.mode = { kind: 'status', status: 410 };
  const gone = await send();
  assert.ok(gone.ok, 'a refusal for good is an answer, not a failure to retry');
  assert.deepEqual(gone.result.accepted, []);
  assert.equal(gone.result.rejected.length, 1);
  assert.match(gone.result.rejected[0]!.reason, /^HTTP 410/);
  hook.mode = { kind: 'status', status: 503 };
  const busy = await send();
  assert.equal(busy.ok, false, 'a 503 throws, so the outbox keeps the message');
});
