// The Alertmanager channel's alerts (labels, annotations, startsAt/endsAt) and its outbox: a newer snapshot replaces a queued one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliver } from '../../src/alerts/deliver.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import { configSchema } from '../../src/config/schema.js';
import { alertmanagerAlerts, alertmanagerSchema } from '../../src/notifiers/alertmanager.js';
import { configuredChannels } from '../../src/notifiers/index.js';
import type { RunLog } from '../../src/run-log.js';
import type { RunReport } from '../../src/types.js';
import { localIso } from '../../src/util/time.js';
import { alertmanagerBinary, startAlertmanager } from '../helpers/alertmanager.js';
import { startCapture } from '../helpers/capture-server.js';

const now = new Date(2025, 11, 6, 14, 35, 0);
const since = new Date(now.getTime() - 600_000);
const snapshot: AlertMessage = {
  id: 's1',
  kind: 'problem',
  subject: '[FIRING] web-1: nginx; resolved: redis',
  host: 'web-1',
  time: localIso(now),
  log_file: '/l',
  refresh: true,
  entries: [
    { check: 'redis', kind: 'recovered', level: 'OK', message: 'PONG', type: 'redis' },
    {
      check: 'nginx',
      kind: 'down',
      level: 'WARNING',
      message: 'GET https://u:pw-secret1@x.example.com/ 502',
      hint: 'restart it',
      since: localIso(since),
      type: 'http',
    },
  ],
};

test('what fires ends a few runs ahead; the other severity and what recovered end now; configured labels added', () => {
  const cfg = alertmanagerSchema().parse({
    url: 'http://am:9093',
    labels: { team: 'web', instance: 'web-1.example.com' },
  });
  const alerts = alertmanagerAlerts(cfg, snapshot);
  const line = (a: (typeof alerts)[number]) =>
    `${a.labels.check} ${a.labels.severity} ${Date.parse(a.endsAt) - now.getTime()}`;
  assert.deepEqual(alerts.map(line), [
    'redis critical 0',
    'redis warning 0',
    `nginx warning ${15 * 60_000}`,
    'nginx critical 0',
  ]);
  const firing = alerts[2]!;
  assert.deepEqual(firing.labels, {
    alertname: 'NeuronovaCheckFailing',
    instance: 'web-1.example.com',
    check: 'nginx',
    type: 'http',
    severity: 'warning',
    team: 'web',
  });
  assert.equal(firing.startsAt, since.toISOString());
  assert.equal(firing.annotations.summary, 'nginx WARNING on web-1: GET https://u:***@x.example.com/ 502');
  assert.equal(firing.annotations.hint, 'restart it');
  assert.doesNotMatch(JSON.stringify(alerts), /pw-secret1/);
});

test('labels the checker sets cannot be configured; expires_after has bounds', () => {
  const bad = configSchema.safeParse({
    alerts: { alertmanager: { url: 'http://am:9093', labels: { severity: 'page' } } },
  });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0]!.message, /check, type, severity are set by the checker/);
  assert.equal(
    configSchema.safeParse({ alerts: { alertmanager: { url: 'http://am:9093', expires_after: '10s' } } }).success,
    false,
  );
  assert.equal(alertmanagerSchema().parse({ url: 'http://am:9093', expires_after: '30m' }).expires_after, 30 * 60_000);
});

test('an unreachable Alertmanager keeps only the newest snapshot, with the alerts older ones ended; the token is a Bearer header', async (t) => {
  const am = await startCapture(t, { status: 503, body: 'not ready' });
  const config = configSchema.parse({
    alerts: { alertmanager: { url: am.base, token: 'amSecretToken-7', labels: { instance: 'web-1.example.com' } } },
  });
  const channels = configuredChannels(config.alerts);
  const lines: string[] = [];
  const log = { write: (level: string, text: string) => lines.push(`${level}: ${text}`) } as unknown as RunLog;
  const input = {
    channels,
    fresh: [],
    report: {} as RunReport,
    host: 'web-1',
    remainingMs: () => 5000,
    sendTimeoutMs: 5000,
    log,
  };
  let outbox = await deliver({ ...input, outbox: {}, snapshot, now });
  assert.equal(outbox.alertmanager?.length, 1);
  const later = new Date(now.getTime() + 300_000);
  const next: AlertMessage = {
    ...snapshot,
    id: 's2',
    time: localIso(later),
    subject: '[FIRING] web-1: nginx',
    entries: [{ ...snapshot.entries[1]!, kind: 'reminder' }],
  };
  outbox = await deliver({ ...input, outbox, snapshot: next, now: later });
  assert.deepEqual(
    outbox.alertmanager!.map((item) => item.message.entries.map((e) => `${e.kind} ${e.check}`)),
    [['recovered redis', 'reminder nginx']],
  );
  am.answer = { status: 200 };
  outbox = await deliver({ ...input, outbox, snapshot: undefined, now: later });
  assert.deepEqual(outbox, {});
  const posted = am.requests.at(-1)!;
  assert.equal(posted.url, '/api/v2/alerts');
  assert.equal(posted.headers.authorization, 'Bearer amSecretToken-7');
  assert.deepEqual(
    posted.json.map((a: { labels: { check: string } }) => a.labels.check),
    ['redis', 'redis', 'nginx', 'nginx'],
  );
  assert.doesNotMatch(lines.join('\n'), /amSecretToken/);
  assert.match(lines.join('\n'), /Alert not sent: alertmanager \(127\.0\.0\.1:\d+\): HTTP 503/);
});

test('in a real Alertmanager, a check going from WARNING to CRITICAL is one active alert, at critical', {
  skip: alertmanagerBinary ? false : 'prometheus-alertmanager is not installed (.ci/run installs it)',
}, async (t) => {
  const am = await startAlertmanager();
  t.after(() => am.stop());
  const config = configSchema.parse({
    alerts: { alertmanager: { url: am.url, labels: { instance: 'web-1.example.com' } } },
  });
  const channels = configuredChannels(config.alerts);
  const log = { write: () => undefined } as unknown as RunLog;
  const at = new Date();
  const input = {
    channels,
    fresh: [],
    report: {} as RunReport,
    host: 'web-1',
    remainingMs: () => 5000,
    sendTimeoutMs: 5000,
    log,
    outbox: {},
  };
  const entry = {
    check: 'disk',
    kind: 'down' as const,
    level: 'WARNING' as const,
    message: '/ 85% used',
    type: 'disk',
    since: localIso(at),
  };
  const warning: AlertMessage = { ...snapshot, id: 'w', time: localIso(at), entries: [entry] };
  assert.deepEqual(await deliver({ ...input, snapshot: warning, now: at }), {});
  assert.deepEqual(
    (await am.alerts()).map((a) => a.labels.severity),
    ['warning'],
  );
  const critical: AlertMessage = {
    ...warning,
    id: 'c',
    entries: [{ ...entry, level: 'CRITICAL', message: '/ 95% used' }],
  };
  assert.deepEqual(await deliver({ ...input, snapshot: critical, now: at }), {});
  const active = await am.alerts();
  assert.deepEqual(
    active.map((a) => [a.labels.check, a.labels.severity, a.labels.instance]),
    [['disk', 'critical', 'web-1.example.com']],
  );
  const ended: AlertMessage = {
    ...warning,
    id: 'r',
    kind: 'recovered',
    entries: [{ ...entry, kind: 'recovered', level: 'OK', message: '/ 60% used' }],
  };
  assert.deepEqual(await deliver({ ...input, snapshot: ended, now: at }), {});
  assert.deepEqual(await am.alerts(), []);
});
