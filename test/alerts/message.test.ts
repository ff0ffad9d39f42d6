// The words of alerts: subject lines, bodies with message, hint and what to do next, and no secret in any of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageBody, messageText, problemSubject, testMessage, type AlertMessage } from '../../src/alerts/message.js';
import { localIso } from '../../src/util/time.js';

const at = new Date(2025, 11, 6, 14, 35, 1);
const base = { host: 'web-1', time: localIso(at), log_file: '/var/log/neuronova/health_check.log' };

const down: AlertMessage = {
  ...base,
  id: 'x/problem',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx, flask',
  entries: [
    {
      check: 'nginx',
      kind: 'down',
      level: 'CRITICAL',
      message: 'inactive (dead)',
      hint: 'sudo systemctl restart nginx',
      since: base.time,
      also: ['django-api', 'flask-api'],
    },
    {
      check: 'flask',
      kind: 'reminder',
      level: 'CRITICAL',
      message: 'failed',
      since: localIso(new Date(at.getTime() - 65 * 60_000)),
    },
  ],
};

test('the subject names the worst level, the host and every check told', () => {
  assert.equal(problemSubject('web-1', down.entries), '[CRITICAL] web-1: nginx, flask');
  assert.equal(
    problemSubject('web-1', [{ check: 'disk', kind: 'down', level: 'WARNING', message: '85% used' }]),
    '[WARNING] web-1: disk',
  );
});

test('a problem body: time, each check with its message and hint, what fails because of it, how to see more', () => {
  const body = messageBody(down);
  assert.equal(
    body,
    [
      'Time: 2025-12-06 14:35:01 (web-1 local time)',
      '',
      'nginx — CRITICAL: inactive (dead)',
      '  also failing because of it: django-api, flask-api',
      '  hint: sudo systemctl restart nginx',
      '',
      'flask — still CRITICAL, failing for 1h 5m (since 2025-12-06 13:30:01): failed',
      '',
      'More: run `neuronova-health-check run` on web-1, or read its log /var/log/neuronova/health_check.log',
      '',
    ].join('\n'),
  );
  assert.match(messageText(down), /^\[CRITICAL\] web-1: nginx, flask\n\nTime: /);
});

test('a RECOVERED body says how long the check was down', () => {
  const recovered: AlertMessage = {
    ...base,
    id: 'x/recovered',
    kind: 'recovered',
    subject: '[RECOVERED] web-1: nginx',
    entries: [
      {
        check: 'nginx',
        kind: 'recovered',
        level: 'OK',
        message: 'active (running)',
        since: localIso(new Date(at.getTime() - 27 * 60_000)),
        down_for_ms: 27 * 60_000,
        hint: 'not shown',
      },
    ],
  };
  const body = messageBody(recovered);
  assert.match(body, /^nginx — OK again after 27m down \(failing since 2025-12-06 14:08:01\): active \(running\)$/m);
  assert.doesNotMatch(body, /hint/);
});

test('a message delivered late says when it is from', () => {
  const later = new Date(at.getTime() + 20 * 60_000);
  assert.match(messageBody(down, later), /^Delivered late: this message is from 2025-12-06 14:35:01/);
  assert.doesNotMatch(messageBody(down, new Date(at.getTime() + 5000)), /Delivered late/);
});

test('secrets in a check message or hint never reach the words', () => {
  const leaky: AlertMessage = {
    ...down,
    entries: [
      {
        check: 'redis',
        kind: 'down',
        level: 'CRITICAL',
        message: 'cannot connect to redis://admin:hunter2@10.0.0.5:6379/0',
        hint: 'curl -H "Authorization: Bearer abcdefghijklmnop" https://hooks.slack.com/services/T1/B2/C3',
      },
    ],
  };
  const text = messageText(leaky);
  assert.doesNotMatch(text, /hunter2|abcdefghijklmnop|T1\/B2\/C3/);
  assert.match(text, /redis:\/\/(admin:)?\*\*\*@10\.0\.0\.5:6379\/0/);
});

test('a test message says nothing is wrong', () => {
  const message = testMessage('web-1', at, '/tmp/x.log');
  assert.equal(message.subject, '[TEST] web-1: test alert from neuronova-health-check');
  assert.match(messageBody(message), /Nothing is wrong: if you can read this, the channel works\./);
});
