// PagerDuty Events API v2 against a local endpoint that checks the documented event shape: trigger then resolve on one dedup_key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertMessage } from '../../src/alerts/message.js';
import { applyTemplate } from '../../src/alerts/template.js';
import { configSchema } from '../../src/config/schema.js';
import { configuredChannels, type Channel } from '../../src/notifiers/index.js';
import { localIso } from '../../src/util/time.js';
import { sendOnce } from '../helpers/send-once.js';
import { startCapture, type Answer, type Captured } from '../helpers/capture-server.js';

const KEY = 'R0UTINGkeySECRET0123456789abcdef';
const now = new Date(2025, 11, 6, 14, 35, 1);
const since = localIso(new Date(now.getTime() - 600_000));
const problem: AlertMessage = {
  id: 'p1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx, api',
  host: 'web-1',
  time: localIso(now),
  log_file: '/var/log/health.log',
  entries: [
    {
      check: 'nginx',
      kind: 'down',
      level: 'CRITICAL',
      message: 'inactive (dead)',
      hint: 'systemctl status nginx',
      since,
      also: ['api'],
    },
    { check: 'disk', kind: 'reminder', level: 'WARNING', message: '/ 91% used', since },
  ],
};
const recovered: AlertMessage = {
  ...problem,
  id: 'r1',
  kind: 'recovered',
  subject: '[RECOVERED] web-1: nginx',
  entries: [{ check: 'nginx', kind: 'recovered', level: 'OK', message: 'active (running)' }],
};

/** What PagerDuty's Events API v2 documents: a 202 for a well-formed event, a 400 naming what is wrong otherwise. */
function eventsApi(req: Captured): Answer {
  const e = req.json;
  const problems: string[] = [];
  if (req.url !== '/v2/enqueue') problems.push('path');
  if (typeof e?.routing_key !== 'string' || e.routing_key.length !== 32) problems.push('routing_key');
  if (!['trigger', 'acknowledge', 'resolve'].includes(e?.event_action)) problems.push('event_action');
  if (e?.event_action !== 'trigger' && typeof e?.dedup_key !== 'string') problems.push('dedup_key');
  if (e?.event_action === 'trigger') {
    const p = e.payload ?? {};
    if (typeof p.summary !== 'string' || !p.summary || p.summary.length > 1024) problems.push('payload.summary');
    if (typeof p.source !== 'string' || !p.source) problems.push('payload.source');
    if (!['critical', 'error', 'warning', 'info'].includes(p.severity)) problems.push('payload.severity');
  }
  if (problems.length)
    return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: problems } };
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: e.dedup_key } };
}

function channelOf(url: string): Channel {
  return configuredChannels(configSchema.parse({ alerts: { pagerduty: { routing_key: KEY, url } } }).alerts)[0]!;
}
const send = (channel: Channel, message: AlertMessage) => sendOnce(channel, message, now);

test('a trigger per failing check with summary, source, severity, component, custom_details; the recovery resolves the same dedup_key', async (t) => {
  const pd = await startCapture(t, eventsApi);
  const channel = channelOf(`${pd.base}/v2/enqueue`);
  assert.equal(await send(channel, problem), 'sent');
  assert.equal(await send(channel, recovered), 'sent');
  const [nginx, disk, resolve] = pd.requests.map((r) => r.json);
  assert.equal(nginx.event_action, 'trigger');
  assert.equal(nginx.routing_key, KEY);
  assert.equal(nginx.payload.source, 'web-1');
  assert.equal(nginx.payload.severity, 'critical');
  assert.equal(nginx.payload.component, 'nginx');
  assert.equal(nginx.payload.summary, '[CRITICAL] web-1: nginx — inactive (dead)');
  assert.equal(nginx.payload.timestamp, new Date(since).toISOString());
  assert.deepEqual(nginx.payload.custom_details, {
    state: 'down',
    level: 'CRITICAL',
    message: 'inactive (dead)',
    hint: 'systemctl status nginx',
    also_failing_because_of_it: ['api'],
    failing_since: since,
  });
  assert.equal(disk.payload.severity, 'warning');
  assert.notEqual(disk.dedup_key, nginx.dedup_key);
  assert.deepEqual(resolve, { routing_key: KEY, event_action: 'resolve', dedup_key: nginx.dedup_key });
});

test('a reminder triggers on the same dedup_key (PagerDuty folds it into the open incident)', async (t) => {
  const pd = await startCapture(t, eventsApi);
  const channel = channelOf(`${pd.base}/v2/enqueue`);
  await send(channel, problem);
  await send(channel, { ...problem, id: 'p2', entries: [{ ...problem.entries[0]!, kind: 'reminder' }] });
  assert.equal(pd.requests[2]!.json.dedup_key, pd.requests[0]!.json.dedup_key);
});

test('the summary follows alerts.template per check', async (t) => {
  const pd = await startCapture(t, eventsApi);
  const channel = channelOf(`${pd.base}/v2/enqueue`);
  await send(channel, applyTemplate(problem, { subject: '{level} {checks} on {host}' }));
  assert.deepEqual(
    pd.requests.map((r) => r.json.payload.summary),
    ['CRITICAL nginx on web-1', 'WARNING disk on web-1'],
  );
});

test('"sent" only on 202 status success; a 400 is refused with the API\'s words and the routing key never shows', async (t) => {
  const pd = await startCapture(t, { status: 202, body: 'ok' });
  const channel = channelOf(`${pd.base}/v2/enqueue`);
  assert.match(await send(channel, problem), /^retry: HTTP 202 but .*not PagerDuty's "status": "success"/);
  pd.answer = {
    status: 400,
    body: { status: 'invalid event', message: `Event object is invalid: routing_key ${KEY}` },
  };
  const error = await send(channel, problem);
  assert.match(error, /^refused for good: HTTP 400 Bad Request: .*invalid event/);
  assert.doesNotMatch(error, /R0UTINGkeySECRET/);
  assert.deepEqual(channel.secrets, [KEY]);
});
