// The built binary against a real Alertmanager (Debian's prometheus-alertmanager) and PagerDuty- and ntfy-compatible
// endpoints: a failing check fires, the next healthy run resolves it; the routing key is never written anywhere.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTarget, tempDir } from '../alerts/helpers.js';
import { alertmanagerBinary, startAlertmanager } from '../helpers/alertmanager.js';
import { startCapture, type Captured } from '../helpers/capture-server.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

const ROUTING_KEY = 'PdRoutingKeyS3cret0123456789abcd';
const NTFY_TOKEN = 'tk_ntfySecretToken42';

const pagerdutyAccepts = (req: Captured) =>
  req.json?.routing_key === ROUTING_KEY && ['trigger', 'resolve'].includes(req.json.event_action)
    ? { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: req.json.dedup_key } }
    : { status: 400, body: { status: 'invalid event' } };

/** Every file under `dir`, read as text (the state directory: state.json, the config cache, …). */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

test('a failing check is an active alert in a real Alertmanager; the recovery run resolves it', {
  skip: alertmanagerBinary ? false : 'prometheus-alertmanager is not installed (.ci/run installs it)',
}, async (t) => {
  await ensureBuilt();
  const dir = tempDir(t);
  const target = await startTarget(t);
  const am = await startAlertmanager();
  t.after(() => am.stop());
  const pd = await startCapture(t, pagerdutyAccepts);
  const ntfy = await startCapture(t, (req) => ({ status: 200, body: { id: `m${req.body.length}`, event: 'message' } }));
  const config = join(dir, 'health.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'timeout: 5s',
      'checks:',
      `  - { name: api, type: http, url: "${target.base}/api", hint: "restart the api" }`,
      `  - { name: static, type: http, url: "${target.base}/static" }`,
      'alerts:',
      `  alertmanager: { url: "${am.url}", labels: { team: web } }`,
      `  pagerduty: { routing_key: ${ROUTING_KEY}, url: "${pd.base}/v2/enqueue" }`,
      `  ntfy: { url: "${ntfy.base}/ops-alerts", token: ${NTFY_TOKEN} }`,
      '',
    ].join('\n'),
  );

  target.status.set('/api', 503);
  const down = await runCli(['run', '--config', config, '--json']);
  assert.equal(down.code, 2, down.stderr);
  const host = JSON.parse(down.stdout).host as string;
  const firing = await am.alerts();
  assert.equal(firing.length, 1, JSON.stringify(firing));
  const alert = firing[0]!;
  assert.equal(alert.status.state, 'active');
  assert.deepEqual(alert.labels, {
    alertname: 'NeuronovaCheckFailing',
    instance: host,
    check: 'api',
    type: 'http',
    severity: 'critical',
    team: 'web',
  });
  assert.match(alert.annotations.description!, /503/);
  assert.equal(alert.annotations.hint, 'restart the api');
  // endsAt a few runs ahead (15 minutes), so a checker that stops lets it expire
  const ahead = Date.parse(alert.endsAt) - Date.now();
  assert.ok(ahead > 10 * 60_000 && ahead <= 15 * 60_000, alert.endsAt);

  // still failing: refreshed on the next run (no new PagerDuty incident, no second ntfy message)
  const again = await runCli(['run', '--config', config]);
  assert.equal(again.code, 2);
  const refreshed = await am.alerts();
  assert.equal(refreshed.length, 1);
  assert.equal(refreshed[0]!.startsAt, alert.startsAt);

  target.status.set('/api', 200);
  const up = await runCli(['run', '--config', config]);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(await am.alerts(), []);

  // PagerDuty: trigger, then resolve, on one dedup_key
  const events = pd.requests.map((r) => r.json);
  assert.deepEqual(
    events.map((e) => e.event_action),
    ['trigger', 'resolve'],
  );
  assert.equal(events[0].dedup_key, events[1].dedup_key);
  assert.equal(events[0].payload.source, host);
  assert.equal(events[0].payload.component, 'api');
  assert.equal(events[0].payload.severity, 'critical');
  // ntfy: both messages
  assert.deepEqual(
    ntfy.requests.map((r) => r.headers.title),
    [`[CRITICAL] ${host}: api`, `[RECOVERED] ${host}: api`],
  );
  assert.deepEqual(
    ntfy.requests.map((r) => r.headers.priority),
    ['4', '2'],
  );

  const log = readFileSync(join(dir, 'health.log'), 'utf8');
  assert.match(
    log,
    /INFO: Alert: \[CRITICAL\] .+: api\n.*INFO: Alert sent: ntfy \(127\.0\.0\.1:\d+\), pagerduty \(127\.0\.0\.1:\d+\)\n/,
  );
  // Alertmanager is told every run what fires (the requests above), and the recovery run what stopped; the log says so
  // once when it starts firing, not again for each refresh that went through
  assert.equal(
    log.match(/INFO: Alert: \[FIRING\] .+: api\n.*INFO: Alert sent: alertmanager \(127\.0\.0\.1:\d+\)\n/g)?.length,
    1,
  );
  assert.match(log, /INFO: Alert: \[RESOLVED\] .+: api\n.*INFO: Alert sent: alertmanager/);
  const everything = [
    log,
    allText(join(dir, 'state')),
    down.stdout,
    down.stderr,
    again.stdout,
    again.stderr,
    up.stdout,
    up.stderr,
  ].join('\n');
  assert.doesNotMatch(everything, new RegExp(`${ROUTING_KEY}|${NTFY_TOKEN}`));
});

test('the routing key stays out of the log, the outbox and test-alert while PagerDuty refuses', async (t) => {
  await ensureBuilt();
  const dir = tempDir(t);
  const target = await startTarget(t);
  const pd = await startCapture(t, { status: 503, body: { status: 'unavailable', echo: ROUTING_KEY } });
  const config = join(dir, 'health.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'timeout: 5s',
      'checks:',
      `  - { name: api, type: http, url: "${target.base}/api" }`,
      'alerts:',
      `  pagerduty: { routing_key: ${ROUTING_KEY}, url: "${pd.base}/v2/enqueue" }`,
      '',
    ].join('\n'),
  );
  target.status.set('/api', 500);
  const run = await runCli(['run', '--config', config]);
  assert.equal(run.code, 2);
  const state = JSON.parse(readFileSync(join(dir, 'state', 'state.json'), 'utf8'));
  assert.equal(state.outbox.pagerduty.length, 1, 'kept to retry');
  const tried = await runCli(['test-alert', '--config', config, '--channel', 'pagerduty', '--json']);
  assert.equal(tried.code, 2);
  assert.match(JSON.parse(tried.stdout).channels[0].error, /^pagerduty \(127\.0\.0\.1:\d+\): HTTP 503/);
  const checked = await runCli(['config', 'check', '--config', config]);
  const everything = [
    readFileSync(join(dir, 'health.log'), 'utf8'),
    allText(join(dir, 'state')),
    run.stdout,
    run.stderr,
    tried.stdout,
    tried.stderr,
    checked.stdout,
    checked.stderr,
  ].join('\n');
  assert.match(everything, /HTTP 503/);
  assert.doesNotMatch(everything, /PdRoutingKeyS3cret/);
});

test('test-alert reaches each new channel, and --channel picks one', async (t) => {
  await ensureBuilt();
  const dir = tempDir(t);
  const am = await startCapture(t, { status: 200 });
  const far = await startCapture(t, (req) => {
    if (req.url.startsWith('/v2/enqueue'))
      return { status: 202, body: { status: 'success', dedup_key: req.json.dedup_key } };
    if (req.url.includes('/sendMessage')) return { status: 200, body: { ok: true, result: {} } };
    if (req.url.startsWith('/ntfy')) return { status: 200, body: { id: 'n1', event: 'message' } };
    return { status: req.url.startsWith('/teams') ? 202 : 204 };
  });
  const config = join(dir, 'health.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'timeout: 5s',
      'checks: []',
      'alerts:',
      '  template: { subject: "{level} from {host}" }',
      `  alertmanager: { url: "${am.base}" }`,
      `  pagerduty: { routing_key: ${ROUTING_KEY}, url: "${far.base}/v2/enqueue" }`,
      `  ntfy: { url: "${far.base}/ntfy-topic" }`,
      `  telegram: { bot_token: "123456789:AAEsecretTelegramBotTokenXYZ", chat_id: 42, api_url: "${far.base}" }`,
      `  discord: { webhook: "${far.base}/api/webhooks/1/discordSecretToken" }`,
      `  teams: { webhook: "${far.base}/teams/invoke?api-version=1&sig=TeamsSigSecret1234" }`,
      '',
    ].join('\n'),
  );
  const all = await runCli(['test-alert', '--config', config]);
  assert.equal(all.code, 0, all.stdout + all.stderr);
  assert.match(all.stdout, /Test alert sent through all 6 channels/);
  for (const kind of ['alertmanager', 'discord', 'ntfy', 'pagerduty', 'teams', 'telegram'])
    assert.match(all.stdout, new RegExp(`✔ ${kind}( \\(.+\\))?: sent`));
  assert.equal(am.requests[0]!.json[0].labels.alertname, 'NeuronovaTestAlert');
  const ntfy = far.requests.find((r) => r.url.startsWith('/ntfy'))!;
  assert.match(ntfy.headers.title as string, /^TEST from /);
  const count = far.requests.length;
  const one = await runCli(['test-alert', '--config', config, '--channel', 'teams']);
  assert.equal(one.code, 0);
  assert.equal(far.requests.length, count + 1);
  assert.equal(far.requests.at(-1)!.json.attachments[0].content.type, 'AdaptiveCard');
  const everything = all.stdout + all.stderr + one.stdout + readFileSync(join(dir, 'health.log'), 'utf8');
  assert.doesNotMatch(everything, /AAEsecret|discordSecretToken|TeamsSigSecret|PdRoutingKeyS3cret/);
});
