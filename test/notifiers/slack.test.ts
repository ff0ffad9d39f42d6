// Slack channel against a real local HTTP server: payload shape, 5xx, 429 Retry-After within the deadline, hangs, no token leaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendOne } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import { localIso } from '../../src/util/time.js';
import { errorOf, startHook } from '../alerts/helpers.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const message: AlertMessage = {
  id: 'm1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx',
  host: 'web-1',
  time: localIso(now),
  log_file: '/var/log/neuronova/health_check.log',
  entries: [
    {
      check: 'nginx',
      kind: 'down',
      level: 'CRITICAL',
      message: 'inactive <dead> & gone',
      hint: 'systemctl restart nginx',
      also: ['django-api'],
    },
  ],
};

function send(url: string, options: { timeoutMs?: number; deadlineMs?: number } = {}) {
  const [slack] = configuredChannels({ slack: { webhook: url } });
  const deadline = Date.now() + (options.deadlineMs ?? 10_000);
  return sendOne(
    slack!,
    { message },
    { sendTimeoutMs: options.timeoutMs ?? 5000, remainingMs: () => deadline - Date.now(), now, host: 'web-1' },
  ).then(errorOf);
}

test('posts JSON with a readable `text` (subject first) and blocks', async (t) => {
  const hook = await startHook(t);
  assert.equal(await send(hook.url), undefined);
  assert.equal(hook.received.length, 1);
  const payload = hook.received[0]! as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
  assert.match(payload.text, /^\[CRITICAL\] web-1: nginx\n/);
  assert.match(payload.text, /hint: systemctl restart nginx/);
  assert.equal(payload.blocks[0]!.text!.text, '*[CRITICAL] web-1: nginx*');
  const entry = payload.blocks.find((block) => block.text?.text.includes('nginx —'))!;
  // mrkdwn control characters are escaped
  assert.match(entry.text!.text, /inactive &lt;dead&gt; &amp; gone/);
  assert.match(entry.text!.text, /also failing because of it: django-api/);
  assert.equal(hook.headers[0]!['content-type'], 'application/json; charset=utf-8');
});

test('a 5xx is a failure whose reason names the status and hides the webhook token', async (t) => {
  const hook = await startHook(t);
  hook.mode = { kind: 'status', status: 500 };
  const error = await send(hook.url);
  assert.equal(error, 'HTTP 500 Internal Server Error: internal_error');
  assert.equal(hook.received.length, 0);
});

test('a 429 whose Retry-After fits in the time left is waited out and retried', async (t) => {
  const hook = await startHook(t);
  hook.mode = { kind: '429', retryAfter: 1, times: 1 };
  assert.equal(await send(hook.url), undefined);
  assert.equal(hook.requests, 2);
  assert.equal(hook.received.length, 1);
});

test('a 429 asking to wait past the deadline fails at once (the message stays for the next run)', async (t) => {
  const hook = await startHook(t);
  hook.mode = { kind: '429', retryAfter: 3600 };
  const error = await send(hook.url, { deadlineMs: 5000 });
  assert.equal(error, "HTTP 429 Too Many Requests: asked to wait 1h, past this run's deadline");
  assert.equal(hook.requests, 1);
});

test('a Slack that never answers fails after the send timeout', async (t) => {
  const hook = await startHook(t);
  hook.mode = { kind: 'hang' };
  const error = await send(hook.url, { timeoutMs: 300 });
  // the budget is what is left of the 300 ms when the request starts: a millisecond or two may be gone already
  assert.match(error ?? '', /^no answer within (2[89]\d|300)ms \(timeout\)$/);
});

test('a refused connection is reported without the token', async (t) => {
  const hook = await startHook(t);
  const url = hook.url;
  await hook.close();
  const error = (await send(url))!;
  assert.match(error, /ECONNREFUSED/);
  assert.doesNotMatch(error, /SECRET|XyZ/);
});

test('no time left before the deadline: not even tried', async (t) => {
  const hook = await startHook(t);
  const error = await send(hook.url, { deadlineMs: -1 });
  assert.equal(error, "no time left before the run's deadline");
  assert.equal(hook.requests, 0);
});
