// `language: ko` end to end with the built binary: the NeuroNova team's host (an HTTP check, a dead port, a disk
// check, nginx under systemd) run from a terminal and from cron. The log keeps its grammar and English level words with
// every check line in Korean, the email (real SMTP server) and the Slack message (local webhook) are Korean and name
// the failing check, `--json` is the English one but for its `message` texts, and config errors are Korean.
// systemctl is the fake of test/helpers/fake-systemctl.ts (systemd is not PID 1 here), printing real `systemctl show`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mailBody, startHook, startSmtp, startTarget, tempDir } from '../alerts/helpers.js';
import { BIN, ensureBuilt } from '../helpers/cli.js';
import { makeFakeSystemctl } from '../helpers/fake-systemctl.js';
import { freePort } from '../helpers/silent-listener.js';

const LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (INFO|SUCCESS|WARNING|ERROR): (.+)$/;
const HANGUL = /[\uac00-\ud7a3]/;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !['ALERT_EMAIL', 'SLACK_WEBHOOK', 'NEURONOVA_HEALTH_CONFIG'].includes(key),
      ),
    );
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...clean, NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) of a mail header, decoded. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** The team's host: nginx (systemd), their API (HTTP, failing when asked), the DB port (dead), disk, memory. */
async function teamHost(t: Parameters<typeof tempDir>[0], extra: string[] = []) {
  const dir = tempDir(t);
  const target = await startTarget(t);
  const systemctl = makeFakeSystemctl();
  t.after(() => systemctl.remove());
  const port = await freePort();
  const config = join(dir, 'health.yml');
  writeFileSync(
    config,
    [
      'language: ko',
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'timeout: 5s',
      // the test machine's load is other people's work: cpu is not what is being tested
      'thresholds: { cpu: { warning: 100000, critical: 100000 } }',
      'checks:',
      '  - { name: nginx, type: systemd, unit: nginx }',
      `  - { name: django-api, type: http, url: "${target.base}/api/health/", hint: "sudo systemctl restart gunicorn_django" }`,
      `  - { name: postgres-port, type: tcp, host: 127.0.0.1, port: ${port} }`,
      '  - { name: disk, type: disk, path: / }',
      '  - { name: memory, type: memory }',
      '  - { name: cpu, type: cpu }',
      ...extra,
    ].join('\n') + '\n',
  );
  return {
    dir,
    config,
    target,
    env: systemctl.env({ nginx: 'active' }),
    log: () => readFileSync(join(dir, 'health.log'), 'utf8'),
  };
}

test('language: ko — the log keeps its grammar and English level words, and every check line is Korean', async (t) => {
  await ensureBuilt();
  const host = await teamHost(t);
  host.target.status.set('/api/health/', 502);
  // from cron: --quiet, nothing on stdout
  const cron = await cli(['--quiet', '--config', host.config], host.env);
  assert.equal(cron.code, 2, cron.stderr);
  assert.equal(cron.stdout, '');
  const lines = host.log().trimEnd().split('\n');
  for (const line of lines) assert.match(line, LINE, `log grammar: ${line}`);
  const texts = lines.map((line) => LINE.exec(line)!);
  assert.match(texts[1]![2]!, /^NeuroNova 헬스 체크 시작 \(점검 6개, 호스트 .+\)$/);
  assert.match(texts.at(-1)![2]!, /^헬스 체크 완료: CRITICAL \(위험 2, 정상 4, \d+ ms\)$/);
  const checkLines = texts.filter((match) => /^(nginx|django-api|postgres-port|disk|memory|cpu): /.test(match[2]!));
  assert.equal(checkLines.length, 6);
  for (const match of checkLines) assert.match(match[2]!, HANGUL, `a Korean check line: ${match[0]}`);
  assert.deepEqual(
    checkLines.map((match) => [match[2]!.split(':')[0], match[1]]),
    [
      ['nginx', 'SUCCESS'],
      ['django-api', 'ERROR'],
      ['postgres-port', 'ERROR'],
      ['disk', 'SUCCESS'],
      ['memory', 'SUCCESS'],
      ['cpu', 'SUCCESS'],
    ],
  );
  // grep ERROR finds every failing check, whatever the language
  assert.deepEqual(
    lines.filter((line) => line.includes('ERROR: ')).map((line) => /ERROR: ([\w-]+):/.exec(line)?.[1]),
    ['django-api', 'postgres-port'],
  );

  // from a terminal: the table in Korean, the hint as 조치, names and URLs as they are
  const terminal = await cli(['--no-alert', '--config', host.config], host.env);
  assert.equal(terminal.code, 2);
  assert.match(terminal.stdout, /CRITICAL django-api +.*HTTP 502.*\n +조치: sudo systemctl restart gunicorn_django\n/);
  assert.match(terminal.stdout, /\nCRITICAL \(위험 2, 정상 4\) · \d+ ms · 로그: /);
});

test('language: ko — the alert email and the Slack message are Korean and name the failing check', async (t) => {
  await ensureBuilt();
  const smtp = await startSmtp(t);
  const slack = await startHook(t);
  const host = await teamHost(t, [
    'alerts:',
    `  email: { to: [ops@example.com], smtp: "smtp://127.0.0.1:${smtp.port}" }`,
    `  slack: { webhook: "${slack.url}" }`,
  ]);
  host.target.status.set('/api/health/', 503);
  const ran = await cli(['--quiet', '--config', host.config], host.env);
  assert.equal(ran.code, 2, ran.stderr);

  assert.equal(smtp.mails.length, 1);
  const subject = decodeHeader(smtp.mails[0]!.subject);
  assert.match(subject, /^\[CRITICAL\] .+ 서비스 장애 발생: django-api, postgres-port$/);
  const body = mailBody(smtp.mails[0]!.raw);
  assert.match(
    body,
    /^실패한 서비스: django-api, postgres-port\n시각: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(.+ 현지 시각\)\n/,
  );
  assert.match(
    body,
    /\ndjango-api — CRITICAL: 응답 이상 \(HTTP 503 Service Unavailable\)\n {2}url: http:\/\/127\.0\.0\.1:\d+\/api\/health\/\n {2}조치: sudo systemctl restart gunicorn_django\n/,
  );
  assert.match(body, /\n자세히 보기: /);
  assert.doesNotMatch(body, /\b(hint|Time|More|failing for)\b/, 'no English sentence left in the body');

  assert.equal(slack.received.length, 1);
  const text = String(slack.received[0]!.text);
  assert.match(text, /^\[CRITICAL\] .+ 서비스 장애 발생: django-api, postgres-port\n/);
  assert.match(JSON.stringify(slack.received[0]!.blocks), /django-api — CRITICAL/);
  assert.match(host.log(), /INFO: 알림 발송: email \(ops@example\.com\), slack\n/);

  // and when it recovers, the RECOVERED message is Korean too
  host.target.status.set('/api/health/', 200);
  await cli(['--quiet', '--config', host.config], host.env);
  assert.equal(smtp.mails.length, 2);
  assert.match(decodeHeader(smtp.mails[1]!.subject), /^\[RECOVERED\] .+ 서비스 복구: django-api$/);
  assert.match(mailBody(smtp.mails[1]!.raw), /\ndjango-api — 복구됨 \(.+ 동안 장애, .+부터\): /);
});

test('--json is the same in English and Korean but for the free-text message fields', async (t) => {
  await ensureBuilt();
  const host = await teamHost(t);
  host.target.status.set('/api/health/', 500);
  const ko = await cli(['--json', '--no-alert', '--config', host.config], host.env);
  const en = await cli(['--json', '--no-alert', '--lang', 'en', '--config', host.config], host.env);
  assert.equal(ko.code, 2);
  assert.equal(en.code, 2);
  const koReport = JSON.parse(ko.stdout);
  const enReport = JSON.parse(en.stdout);
  assert.notEqual(
    koReport.services['django-api'].message,
    enReport.services['django-api'].message,
    'the message follows the language',
  );
  assert.match(koReport.services['django-api'].message, HANGUL);
  // Numbers (times, sizes) differ from run to run; every key and every other string value must not.
  const shape = (value: unknown, key = ''): unknown => {
    if (key === 'message') return 'MESSAGE';
    if (typeof value === 'number') return 0;
    if (Array.isArray(value)) return value.map((item) => shape(item));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v, k)]));
    return key === 'time' ? 'TIME' : value;
  };
  assert.deepEqual(shape(koReport), shape(enReport));
  assert.equal(koReport.services['django-api'].status, 'unhealthy');
  assert.equal(koReport.level, 'CRITICAL');
});

test('config errors are Korean with the keys as written; an unknown language is refused with the valid ones', async (t) => {
  await ensureBuilt();
  const dir = tempDir(t);
  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'language: ko\ntimout: 10s\nchecks:\n  - { name: web, type: htp, url: "http://127.0.0.1/" }\n');
  const ran = await cli(['config', 'check', '--config', bad]);
  assert.equal(ran.code, 3);
  assert.equal(ran.stdout, '');
  assert.deepEqual(ran.stderr.trimEnd().split('\n').sort(), [
    `neuronova-health-check: ${bad}: checks[0].type: 알 수 없는 점검 종류 "htp" ("http"의 오타인가요?). 쓸 수 있는 종류: systemd, http, tcp, disk, memory, cpu, postgres, redis, command, log`,
    `neuronova-health-check: ${bad}: timout: 알 수 없는 키 "timout" ("timeout"의 오타인가요?)`,
  ]);

  const french = join(dir, 'fr.yml');
  writeFileSync(french, 'language: fr\n');
  const refused = await cli(['config', 'check', '--config', french]);
  assert.equal(refused.code, 3);
  assert.equal(refused.stderr, `neuronova-health-check: ${french}: language: must be one of "en", "ko", not "fr"\n`);
  const flag = await cli(['--lang', 'fr', '--config', french]);
  assert.equal(flag.code, 3);
  assert.equal(flag.stderr.trimEnd().split('\n').length, 1);
  assert.match(flag.stderr, /'--lang <language>' argument 'fr' is invalid\. Allowed choices are en, ko\./);
  // --lang ko speaks Korean for one run, even about a config that names no language
  const once = await cli(['config', 'check', '--lang', 'ko', '--config', join(dir, 'missing.yml')]);
  assert.equal(once.code, 3);
  assert.match(once.stderr, /missing\.yml: 파일이 없음 \(/);
});
