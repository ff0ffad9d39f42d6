// alerts.template: plain substitution of the five placeholders, nothing evaluated, unknown ones refused naming the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageBody, type AlertMessage } from '../../src/alerts/message.js';
import { applyTemplate, renderTemplate } from '../../src/alerts/template.js';
import { configSchema } from '../../src/config/schema.js';
import { slackPayload } from '../../src/notifiers/slack.js';
import { localIso, localStamp } from '../../src/util/time.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const problem: AlertMessage = {
  id: 'p1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx, disk',
  host: 'web-1',
  time: localIso(now),
  log_file: '/var/log/health.log',
  entries: [
    { check: 'nginx', kind: 'down', level: 'CRITICAL', message: 'inactive (dead)', hint: 'systemctl status nginx' },
    { check: 'disk', kind: 'down', level: 'WARNING', message: '/ 91% used' },
  ],
};

test('each placeholder is filled: host, the worst level, the checks, the local time and the per-check details', () => {
  const msg = applyTemplate(problem, { subject: '{level} {host}: {checks}', body: 'At {time}:\n{details}\n-- ops' });
  assert.equal(msg.subject, 'CRITICAL web-1: nginx, disk');
  assert.equal(
    msg.body,
    `At ${localStamp(now)}:\nnginx — CRITICAL: inactive (dead)\n  hint: systemctl status nginx\ndisk — WARNING: / 91% used\n-- ops`,
  );
  // every channel's body follows it: email and webhook text (messageBody), Slack's blocks
  assert.equal(messageBody(msg), `${msg.body}\n`);
  assert.match(JSON.stringify(slackPayload(msg, now).blocks), /-- ops/);
  assert.equal(
    applyTemplate(
      { ...problem, kind: 'recovered', entries: [{ ...problem.entries[0]!, kind: 'recovered', level: 'OK' }] },
      { subject: '{level}' },
    ).subject,
    'RECOVERED',
  );
});

test('plain substitution: a value that looks like a placeholder is not expanded again; {{ and }} are braces', () => {
  assert.equal(renderTemplate('{{host}} is {host}', { host: '{level}' }), '{host} is {level}');
  const msg = applyTemplate(
    { ...problem, entries: [{ ...problem.entries[0]!, message: '$' + '{process.exit(1)} {host}' }] },
    { subject: '{details}' },
  );
  assert.match(msg.subject, /\$\{process\.exit\(1\)\} \{host\}/);
});

test('no template leaves the default words; the subject stays one line; what the body shows is masked', () => {
  assert.equal(applyTemplate(problem, undefined), problem);
  const msg = applyTemplate(
    { ...problem, entries: [{ ...problem.entries[0]!, message: 'GET https://u:hunter22@api.example.com failed' }] },
    { subject: '{details}', body: '{details}' },
  );
  assert.doesNotMatch(msg.subject, /\n/);
  assert.doesNotMatch(msg.subject + msg.body, /hunter22/);
});

test('an unknown placeholder is a config error naming it and every valid one', () => {
  const parsed = configSchema.safeParse({
    alerts: { template: { subject: '{level} {hostname}', body: 'ok {checks}' } },
  });
  assert.equal(parsed.success, false);
  const issue = parsed.error!.issues[0]!;
  assert.deepEqual(issue.path, ['alerts', 'template', 'subject']);
  assert.equal(
    issue.message,
    'unknown placeholder {hostname}: the placeholders are {host} {level} {checks} {time} {details} (write {{ and }} for literal braces)',
  );
  assert.equal(configSchema.safeParse({ alerts: { template: { subjet: 'x' } } }).success, false);
  assert.equal(
    configSchema.safeParse({ alerts: { template: { body: 'literal {{braces}} and {host}' } } }).success,
    true,
  );
});
