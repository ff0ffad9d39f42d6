// Config validation (docs/reference.md#configuration): a bad file is refused whole and every problem is listed as `path.to.key: what is wrong`,
// unknown keys with the nearest valid name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/util/errors.js';

function problemsOf(yaml: string): string[] {
  try {
    parseConfigText(yaml, '/etc/neuronova/health-check.yml', {});
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.file, '/etc/neuronova/health-check.yml');
    return error.problems;
  }
  assert.fail('the config was accepted');
}

describe('config validation', () => {
  test('every problem in one file is listed, one line each', () => {
    const problems = problemsOf(
      [
        'log_fil: /tmp/x',
        'timeout: 10',
        'deadline: soon',
        'concurency: 4',
        'thresholds:',
        '  disk: { warning: 95, critical: 90 }',
        '  memroy: { warning: 1, critical: 2 }',
        'checks:',
        '  - { name: nginx, type: systemd, unti: nginx }',
        '  - { name: nginx, type: htp, url: x }',
        '  - { name: a, type: http, url: "ftp://x", expect: { status: 999, contanis: [a] } }',
        '  - { name: b, type: tcp, host: h, port: "80", depends_on: [ngnx] }',
        '  - { name: c, type: disk, warning: 200, timeout: 5 }',
        '  - { type: memory }',
        '  - { name: "bad name!", type: cpu, enabled: "yes" }',
        '  - { name: d, type: command, command: [] }',
        'alerts:',
        '  on: warnign',
        '  after: 0',
        '  emial: { to: x }',
        '',
      ].join('\n'),
    );
    const expected = [
      'log_fil: unknown key "log_fil" (did you mean "log_file"?)',
      'concurency: unknown key "concurency" (did you mean "concurrency"?)',
      'timeout: 10 has no unit: write it like 10s or 10ms',
      'deadline: "soon" is not a duration: write it like 500ms, 10s, 5m, 1h or 2d',
      'thresholds.disk.warning: 95 must not be above critical (90): a value between them would be CRITICAL before it is ever WARNING',
      'thresholds.memroy: unknown key "memroy" (did you mean "memory"?)',
      'checks[0].unti: unknown key "unti" (did you mean "unit"?)',
      'checks[0].unit: is required (string)',
      'checks[1].type: unknown check type "htp" (did you mean "http"?); valid types: systemd, http, tcp, disk, memory, cpu, postgres, redis, command, log',
      'checks[1].name: "nginx" is already the name of checks[0]; names must be unique',
      'checks[2].url: must be an http:// or https:// URL',
      'checks[2].expect.status: must be a status code, a list of codes, a range like "200..399" or "2xx"',
      'checks[2].expect.contanis: unknown key "contanis" (did you mean "contains"?)',
      'checks[3].port: must be a number, not the text "80"',
      'checks[3].depends_on[0]: no check named "ngnx" (did you mean "nginx"?)',
      'checks[4].warning: must be at most 100',
      'checks[4].timeout: 5 has no unit: write it like 5s or 5ms',
      'checks[5].name: is required (string)',
      'checks[6].name: must be letters, digits, "-", "_" or "." (at most 64), like django-api',
      'checks[6].enabled: must be a boolean, not the text "yes"',
      'checks[7].command: must name the program: command: [/usr/lib/nagios/plugins/check_disk, -w, 20%]',
      'alerts.on: must be one of "warning", "critical", not "warnign"',
      'alerts.after: must be at least 1',
      'alerts.emial: unknown key "emial" (did you mean "email"?)',
    ];
    // every expected line is there, and nothing else
    assert.deepEqual([...problems].sort(), [...expected].sort());
  });

  test('an unknown key far from any valid one lists the valid keys instead of guessing', () => {
    assert.deepEqual(problemsOf('checks:\n  - { name: a, type: tcp, host: h, port: 1, zzzzzzzz: 1 }\n'), [
      'checks[0].zzzzzzzz: unknown key "zzzzzzzz" (valid keys: host, port, name, timeout, enabled, hint, depends_on, type)',
    ]);
  });

  test('a check without a type, or with a wrong one, names the valid types', () => {
    assert.deepEqual(problemsOf('checks:\n  - { name: a, unit: nginx }\n'), [
      'checks[0].type: needs a "type": one of systemd, http, tcp, disk, memory, cpu, postgres, redis, command, log',
    ]);
  });

  test('wrong types are described in YAML words', () => {
    assert.deepEqual(problemsOf('checks: 5\n'), ['checks: must be a list, not number 5']);
    assert.deepEqual(problemsOf('thresholds: [1, 2]\n'), ['thresholds: must be a mapping, not a list']);
    assert.deepEqual(problemsOf('checks:\n  - { name: a, type: command, command: [x], env: [A=1] }\n'), [
      'checks[0].env: must be a mapping, not a list',
    ]);
  });

  test('durations: units required, nonsense refused, everywhere a duration is taken', () => {
    assert.deepEqual(problemsOf('timeout: 10sec\nalerts: { repeat: often }\n').sort(), [
      'alerts.repeat: "often" is not a duration: write it like 500ms, 10s, 5m, 1h or 2d',
      'timeout: "10sec" is not a duration: write it like 500ms, 10s, 5m, 1h or 2d',
    ]);
    const ok = parseConfigText('timeout: 1.5s\ndeadline: 2m\nalerts: { repeat: 0 }\n', 'ok.yml', {});
    assert.deepEqual([ok.timeout, ok.deadline, ok.alerts.repeat], [1500, 120_000, 0]);
  });

  test('duplicate names are found even when an earlier check has no name', () => {
    const problems = problemsOf(
      'checks:\n  - { type: cpu }\n  - { name: x, type: cpu }\n  - { name: x, type: memory }\n',
    );
    assert.deepEqual(problems.sort(), [
      'checks[0].name: is required (string)',
      'checks[2].name: "x" is already the name of checks[1]; names must be unique',
    ]);
  });

  test('depends_on: typos get the nearest name; a check may not depend on itself', () => {
    const problems = problemsOf(
      'checks:\n  - { name: django, type: cpu }\n  - { name: api, type: cpu, depends_on: [djnago, api] }\n',
    );
    assert.deepEqual(problems.sort(), [
      'checks[1].depends_on: a check cannot depend on itself',
      'checks[1].depends_on[0]: no check named "djnago" (did you mean "django"?)',
    ]);
  });

  test('a valid file with every common check field is accepted', () => {
    const config = parseConfigText(
      [
        'checks:',
        '  - { name: nginx, type: systemd, unit: nginx.service, hint: "systemctl restart nginx" }',
        '  - name: api',
        '    type: http',
        '    url: https://127.0.0.1/health',
        '    method: HEAD',
        '    headers: { Host: example.com }',
        '    follow_redirects: 2',
        '    tls_verify: false',
        '    depends_on: [nginx]',
        '    timeout: 2s',
        '    expect: { status: [200, 204], contains: [ok], not_contains: [error], json: { a.b: 1 }, max_response_ms: 500, cert_days: 30 }',
        '  - { name: ssh, type: tcp, host: localhost, port: 22, enabled: false }',
        '  - { name: disks, type: disk, paths: [/, /var], warning: 85, critical: 95 }',
        '  - { name: plugin, type: command, command: [/bin/true], env: { A: "1" }, cwd: /tmp }',
        '',
      ].join('\n'),
      'ok.yml',
      {},
    );
    assert.deepEqual(
      config.checks.map((c) => c.name),
      ['nginx', 'api', 'ssh', 'disks', 'plugin'],
    );
  });
});
