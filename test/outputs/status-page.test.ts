// The status page in a real browser (Debian's headless Chromium through playwright-core): healthy, degraded and
// failing histories, checked the way a person sees the page — banner, rows, 90-slot bars, the chart, incidents —
// with no request leaving the page, and screenshots at desktop and phone widths.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/run.js';
import { localStamp } from '../../src/util/time.js';
import { MINUTE, writeRuns, type Step } from '../helpers/history.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const CHROMIUM = '/usr/bin/chromium';
const EVERY = 5 * MINUTE;
const START = Date.UTC(2025, 11, 6, 0, 0);
const HISTORY_RUNS = 100;
/** The real run comes right after the written history. */
const NOW = START + HISTORY_RUNS * EVERY;
const SECRET_URL = 'https://monitor:s3cret-Pa55@api.example.com/health';

type Kind = 'healthy' | 'degraded' | 'failing';

/** The history each page is drawn from, run by run (api also has response times). */
function history(kind: Kind): Record<string, Step>[] {
  return Array.from({ length: HISTORY_RUNS }, (_, i) => {
    const apiDown = kind === 'failing' && ((i >= 80 && i < 85) || i >= 95);
    return {
      nginx: { level: 'OK', message: 'active (running)' },
      api: apiDown
        ? {
            level: 'CRITICAL',
            message: i < 85 ? `HTTP 503 from ${SECRET_URL} <script>alert(1)</script>` : 'connection refused',
          }
        : { level: 'OK', message: 'HTTP 200 OK', ms: 20 + (i % 10) * 3 },
      disk:
        kind === 'degraded' && i >= 90
          ? { level: 'WARNING', message: '83.1% used on /' }
          : { level: 'OK', message: '41.0% used on /' },
    };
  });
}

interface Page {
  dir: string;
  statusDir: string;
  report: unknown;
  levels: Record<string, string>;
}

async function makePage(kind: Kind, server: TestServer, root: string): Promise<Page> {
  const dir = join(root, kind);
  mkdirSync(dir);
  const statusDir = join(dir, 'www');
  writeRuns(join(dir, 'state'), START, EVERY, history(kind));
  const disk = kind === 'degraded' ? `echo "83.1% used on /"; exit 1` : `echo "41.0% used on /"; exit 0`;
  writeFileSync(
    join(dir, 'config.yml'),
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      `outputs: { status_dir: ${statusDir} }`,
      'checks:',
      `  - { name: nginx, type: command, command: [sh, -c, 'echo "active (running)"'] }`,
      `  - { name: api, type: http, url: "${server.url(kind === 'failing' ? '/down' : '/up')}", timeout: 5s }`,
      `  - { name: disk, type: command, command: [sh, -c, '${disk}'] }`,
      '',
    ].join('\n'),
  );
  const config = loadConfig({ path: join(dir, 'config.yml'), explicit: true }, {});
  const outcome = await runChecks({
    config,
    alert: false,
    onProblem: () => {},
    host: `web-${kind}`,
    clock: () => new Date(NOW),
  });
  return {
    dir,
    statusDir,
    report: outcome.report,
    levels: Object.fromEntries(outcome.results.map((r) => [r.name, r.level])),
  };
}

const chromiumMissing = !existsSync(CHROMIUM) && `needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`;

describe('status page in headless Chromium', { skip: chromiumMissing }, () => {
  let server: TestServer;
  let root: string;
  let browser: Browser;
  const pages = {} as Record<Kind, Page>;

  before(async () => {
    server = await startServer({
      '/up': (_req, res) => void res.writeHead(200).end('ok'),
      '/down': (_req, res) => void res.writeHead(503).end('maintenance'),
    });
    root = mkdtempSync(join(tmpdir(), 'nn-status-page-'));
    for (const kind of ['healthy', 'degraded', 'failing'] as const) pages[kind] = await makePage(kind, server, root);
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
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Open a page at a width; every request it makes is recorded. */
  async function open(kind: Kind, width = 1100) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(join(pages[kind].statusDir, 'index.html')).href;
    await page.goto(url);
    return { page, requests, url };
  }

  async function rows(kind: Kind) {
    const { page, requests, url } = await open(kind);
    const data = await page.$$eval('article.check', (articles) =>
      articles.map((article) => ({
        name: article.querySelector('h3')!.textContent,
        state: article.querySelector('.head .state')!.textContent,
        message: article.querySelector('.message')?.textContent ?? '',
        slots: [...article.querySelectorAll('.bar .slot')].map((slot) => ({
          cls: slot.className.replace('slot ', ''),
          title: slot.getAttribute('title'),
        })),
        chart: article.querySelector('svg.chart path.line')?.getAttribute('d') ?? null,
        caption: article.querySelector('figcaption')?.textContent ?? null,
      })),
    );
    const banner = await page.textContent('#banner strong');
    const bannerDetail = await page.textContent('#banner span');
    const incidents = await page.$$eval('#incidents li', (items) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the text as a reader sees it, with the page's CSS applied
      items.map((item) => (item as HTMLElement).innerText),
    );
    const noIncidents = await page.$('#incidents p').then((el) => el?.textContent() ?? null);
    const scripts = await page.$$eval('script', (found) => found.length);
    await page.close();
    return { data, banner, bannerDetail, incidents, noIncidents, scripts, requests, url };
  }

  test('healthy: green banner, three operational rows, full green bars, a response-time chart for the HTTP check', async () => {
    const { data, banner, bannerDetail, incidents, noIncidents, requests, url, scripts } = await rows('healthy');
    assert.equal(banner, 'All systems operational');
    assert.equal(bannerDetail, '3 checks, all up');
    assert.deepEqual(
      data.map((row) => [row.name, row.state]),
      [
        ['nginx', 'Operational'],
        ['api', 'Operational'],
        ['disk', 'Operational'],
      ],
    );
    for (const row of data) {
      assert.equal(row.slots.length, 90);
      assert.ok(
        row.slots.every((slot) => slot.cls === 'ok'),
        `${row.name}: every slot green`,
      );
    }
    // the newest slot is this run; hovering names its time, level and message
    assert.equal(data[0]!.slots.at(-1)!.title, `${localStamp(new Date(NOW)).slice(0, 16)} · OK · active (running)`);
    assert.equal(
      data[0]!.slots.at(-2)!.title,
      `${localStamp(new Date(NOW - EVERY)).slice(0, 16)} · OK · active (running)`,
    );
    assert.match(data[1]!.chart!, /^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
    assert.match(data[1]!.caption!, /^Response time, last 24 h: avg [\d.]+ ms · p95 [\d.]+ ms · max [\d.]+ ms$/);
    // the nginx stand-in is a command check: only this run has a time (the plugin's wall time), so one point
    assert.match(data[0]!.chart!, /^M600\.0 [\d.]+$/, 'a check with one time has a one-point chart');
    assert.equal(incidents.length, 0);
    assert.equal(noIncidents, 'No incidents in the last 30 days.');
    assert.equal(scripts, 0);
    assert.deepEqual(requests, [url], 'the page loads nothing else: no script, font, image or CDN');
  });

  test('degraded: amber banner naming the check, WARNING slots at the end of its bar, no incident (WARNING is up)', async () => {
    const { data, banner, bannerDetail, incidents } = await rows('degraded');
    assert.equal(banner, 'Degraded performance');
    assert.equal(bannerDetail, 'disk: degraded');
    const disk = data.find((row) => row.name === 'disk')!;
    assert.equal(disk.state, 'Degraded');
    assert.match(disk.message, /^83\.1% used on \//);
    // history runs 90..99 and this run
    assert.deepEqual(
      disk.slots.slice(-12).map((slot) => slot.cls),
      ['ok', ...Array(11).fill('warning')],
    );
    assert.match(disk.slots.at(-1)!.title!, / · WARNING · 83\.1% used on \/$/);
    assert.equal(incidents.length, 0);
  });

  test('failing: red banner, the down check with red slots where it was down, incidents newest first with "ongoing"', async () => {
    const { data, banner, bannerDetail, incidents, scripts } = await rows('failing');
    assert.equal(banner, 'Service disruption');
    assert.equal(bannerDetail, 'api: down');
    const api = data.find((row) => row.name === 'api')!;
    assert.equal(api.state, 'Down');
    assert.match(api.message, /^HTTP 503 Service Unavailable/);
    // 90 slots = history runs 11..99 and this run: down at 80..84 and from 95 on
    const expected = Array.from({ length: 90 }, (_, slot) => {
      const run = slot + 11;
      return (run >= 80 && run < 85) || run >= 95 ? 'critical' : 'ok';
    });
    assert.deepEqual(
      api.slots.map((slot) => slot.cls),
      expected,
    );
    assert.equal(incidents.length, 2);
    assert.match(incidents[0]!, /^api CRITICAL\n.* → ongoing · 25m\nconnection refused$/);
    assert.match(
      incidents[1]!,
      /^api CRITICAL\n.* → .* · 25m\nHTTP 503 from https:\/\/\S*\*\*\*@api\.example\.com\/health <script>alert\(1\)<\/script>$/,
    );
    // the message's markup is shown as text, never run
    assert.equal(scripts, 0);
    const html = readFileSync(join(pages.failing.statusDir, 'index.html'), 'utf8');
    assert.ok(!html.includes('s3cret'), 'secrets are masked on the page');
    assert.ok(!html.includes('<script>'), 'markup from messages is escaped');
  });

  test("status.json is the run's JSON report (docs/reference.md#json-report); the files are world-readable for nginx", () => {
    for (const kind of ['healthy', 'degraded', 'failing'] as const) {
      const { statusDir, report } = pages[kind];
      // the same report the run prints with --json, except duration_ms, which the run finishes measuring after its outputs
      const { duration_ms: _written, ...written } = JSON.parse(readFileSync(join(statusDir, 'status.json'), 'utf8'));
      const { duration_ms: _final, ...final } = report as Record<string, unknown>;
      assert.deepEqual(written, final);
      assert.equal(statSync(join(statusDir, 'index.html')).mode & 0o777, 0o644);
    }
    assert.equal((pages.failing.report as { status: string }).status, 'unhealthy');
  });

  test('readable on a phone: no sideways scrolling, bars and chart fit; screenshots at desktop and phone widths', async () => {
    const shots = process.env.NN_SCREENSHOT_DIR;
    for (const kind of ['healthy', 'degraded', 'failing'] as const) {
      for (const width of [1100, 390]) {
        const { page } = await open(kind, width);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.equal(overflow, 0, `${kind} at ${width}px scrolls sideways`);
        const bar = await page.$eval('article.check .bar', (el) => el.getBoundingClientRect().width);
        assert.ok(bar > 300 && bar <= width, `${kind} at ${width}px: bar ${bar}px wide`);
        const file = join(pages[kind].dir, `status-${kind}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await page.close();
        assert.ok(statSync(file).size > 10_000);
        // NN_SCREENSHOT_DIR=/some/dir keeps them for a person to look at
        if (shots) copyFileSync(file, join(shots, `status-${kind}-${width}.png`));
      }
    }
  });

  test('on a phone no date is broken across two lines (updated, last run, incident start and end)', async () => {
    for (const width of [390, 320]) {
      const { page } = await open('failing', width);
      // Every "YYYY-MM-DD HH:MM" on the page, and on how many lines the browser laid it out.
      const dates = await page.evaluate(() => {
        const found: { text: string; lines: number }[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.textContent!.matchAll(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            found.push({ text: match[0], lines: tops.size });
          }
        }
        return found;
      });
      await page.close();
      // the header's "Updated", three checks' last runs, two incidents' starts and one end
      assert.ok(dates.length >= 7, `${dates.length} dates found at ${width}px`);
      for (const date of dates)
        assert.equal(date.lines, 1, `"${date.text}" broken across ${date.lines} lines at ${width}px`);
    }
  });
});
