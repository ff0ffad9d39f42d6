// The status page with `language: ko`, written by the built binary and read in headless Chromium as an operator would:
// `<html lang="ko">`, the banner, states, availability and incidents in Korean, dates as `2025년 12월 6일 14:35`,
// check names and level words as they are, status.json unchanged by the language.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { BIN, ensureBuilt } from '../helpers/cli.js';
import { MINUTE, writeRuns, type Step } from '../helpers/history.js';

const CHROMIUM = '/usr/bin/chromium';
const EVERY = 5 * MINUTE;
const RUNS = 100;
const chromiumMissing = !existsSync(CHROMIUM) && `needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`;
const KOREAN_DATE = /^\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d$/;

function run(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

describe('status page in Korean, in headless Chromium', { skip: chromiumMissing }, () => {
  let root: string;
  let browser: Browser;
  let statusDir: string;

  before(async () => {
    await ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'nn-status-ko-'));
    statusDir = join(root, 'www');
    // The last 100 runs up to now: api down twice (ended, and again from run 95 on, still down now).
    const start = Date.now() - RUNS * EVERY;
    const history: Record<string, Step>[] = Array.from({ length: RUNS }, (_, i) => ({
      nginx: { level: 'OK', message: '정상 실행 중' },
      api:
        (i >= 80 && i < 85) || i >= 95
          ? { level: 'CRITICAL', message: 'HTTP 503 Service Unavailable' }
          : { level: 'OK', message: '응답 정상 (HTTP 200)', ms: 20 + (i % 7) },
    }));
    writeRuns(join(root, 'state'), start, EVERY, history);
    writeFileSync(
      join(root, 'config.yml'),
      [
        'language: ko',
        `log_file: ${join(root, 'health.log')}`,
        `state_dir: ${join(root, 'state')}`,
        `outputs: { status_dir: ${statusDir} }`,
        'checks:',
        `  - { name: nginx, type: command, command: [sh, -c, 'echo "정상 실행 중"'] }`,
        `  - { name: api, type: command, command: [sh, -c, 'echo "HTTP 503 Service Unavailable"; exit 2'] }`,
        '',
      ].join('\n'),
    );
    const ran = await run(['--quiet', '--no-alert', '--config', join(root, 'config.yml')]);
    assert.equal(ran.code, 2, ran.stderr);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('lang="ko", Korean banner, states, sections and footer; names and level words as they are', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(join(statusDir, 'index.html')).href);
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.equal(await page.title(), `${await page.textContent('h1')} 상태: 서비스 장애 발생`);
    assert.equal(await page.textContent('#banner strong'), '서비스 장애 발생');
    assert.equal(await page.textContent('#banner span'), 'api: 장애');
    assert.deepEqual(await page.$$eval('h2', (headings) => headings.map((h) => h.textContent)), [
      '가동률',
      '점검 항목',
      '최근 장애',
    ]);
    assert.deepEqual(await page.$$eval('.availability .label', (labels) => labels.map((l) => l.textContent)), [
      '24시간',
      '7일',
      '30일',
    ]);
    const rows = await page.$$eval('article.check', (articles) =>
      articles.map((a) => [
        a.querySelector('h3')!.textContent,
        a.querySelector('.head .state')!.textContent,
        a.querySelector('.uptime')!.textContent,
      ]),
    );
    assert.deepEqual(
      rows.map(([name, state]) => [name, state]),
      [
        ['nginx', '정상'],
        ['api', '장애'],
      ],
    );
    assert.match(rows[1]![2]!, /^24시간 [\d.]+% · 7일 [\d.]+% · 30일 [\d.]+%$/);
    assert.match(
      (await page.textContent('article.check[data-check="api"] figcaption'))!,
      /^응답 시간, 최근 24시간: 평균 [\d.]+ ms · p95 [\d.]+ ms · 최대 [\d.]+ ms$/,
    );
    const incidents = await page.locator('#incidents li').allInnerTexts();
    assert.equal(incidents.length, 2);
    assert.match(
      incidents[0]!,
      /^api CRITICAL\n\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d → 진행 중 · \d+분\nHTTP 503 Service Unavailable$/,
    );
    assert.match(
      (await page.textContent('footer'))!,
      /^시각은 서버 현지 시각입니다 \(UTC[+-]\d\d:\d\d\)\. 기계용 데이터: status\.json\./,
    );
    // every date people read is in Korean convention; the machine-readable one stays ISO
    const dates = await page.$$eval('time', (times) => times.map((t) => [t.textContent, t.getAttribute('datetime')]));
    assert.ok(dates.length >= 4);
    for (const [shown, iso] of dates) {
      assert.match(shown!, KOREAN_DATE);
      assert.match(iso!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    // no English sentence left on the page: what is Latin is a check name, a level word, a unit or the message
    const text = (await page.textContent('body')) ?? '';
    assert.doesNotMatch(
      text,
      /\b(Updated|Checks|Availability|Recent incidents|ongoing|Response time|Operational|Down|now|just now|ago)\b/,
    );
    await page.close();
  });

  test('status.json keeps the machine words', () => {
    const report = JSON.parse(readFileSync(join(statusDir, 'status.json'), 'utf8'));
    assert.equal(report.status, 'unhealthy');
    assert.equal(report.services.api.level, 'CRITICAL');
    assert.equal(report.services.api.status, 'unhealthy');
    assert.equal(report.services.nginx.status, 'healthy');
  });
});
