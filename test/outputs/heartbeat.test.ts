// The heartbeat: a real receiver on 127.0.0.1 sees exactly one ping per run, with the healthchecks.io suffix for the
// run's level (none, /fail, and /start first when asked), the summary as its body; a failed ping never fails the run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { maskPingUrl, pingUrl } from '../../src/outputs/heartbeat.js';
import { runChecks, type RunOutcome } from '../../src/run.js';

interface Ping {
  method: string;
  path: string;
  query: string;
  body: string;
}

const UUID = '5f1c2a1e-7b43-4f4e-9d41-0c2f6a8e9b10';
let dir: string;
let server: Server;
let port: number;
let pings: Ping[] = [];
/** How the receiver answers; tests change it. */
let answer: (res: import('node:http').ServerResponse) => void;
const okAnswer = (res: import('node:http').ServerResponse) =>
  void res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-hb-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      pings.push({ method: req.method ?? '', path: url.pathname, query: url.search, body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterEach(() => {
  pings = [];
  answer = okAnswer;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
answer = okAnswer;

let runNumber = 0;
/** One in-process run whose single command check exits with `code`; returns the outcome and the log text. */
async function run(
  code: number,
  heartbeat: string,
  extra: { only?: string[]; yaml?: string } = {},
): Promise<RunOutcome & { log: string; problems: string[] }> {
  const n = ++runNumber;
  const log = join(dir, `run-${n}.log`);
  const argv = JSON.stringify([process.execPath, '-e', `console.log('exit ${code}'); process.exit(${code})`]);
  const text = `log_file: ${log}\nstate_dir: ${join(dir, `state-${n}`)}\noutputs:\n  heartbeat: ${heartbeat}\n${extra.yaml ?? ''}checks:\n  - { name: app, type: command, command: ${argv} }\n  - { name: memory, type: memory, warning: 100, critical: 100 }\n`;
  const config = parseConfigText(text, join(dir, `c-${n}.yml`), {});
  const problems: string[] = [];
  const outcome = await runChecks({
    config,
    alert: false,
    onProblem: (m) => problems.push(m),
    host: 'web-1',
    ...(extra.only ? { only: extra.only } : {}),
  });
  return { ...outcome, log: readFileSync(log, 'utf8'), problems };
}

const base = () => `http://127.0.0.1:${port}/ping/${UUID}`;

describe('heartbeat', () => {
  test('OK: exactly one ping on the plain URL, the run summary as its body', async () => {
    const outcome = await run(0, base());
    assert.equal(outcome.level, 'OK');
    assert.deepEqual(
      pings.map((p) => [p.method, p.path]),
      [['POST', `/ping/${UUID}`]],
    );
    assert.match(pings[0]!.body, /^OK \(2 ok\) on web-1 in \d+ ms\n$/);
    assert.match(outcome.log, /INFO: Heartbeat sent: http:\/\/127\.0\.0\.1:\d+\/ping\/\*\*\*\n/);
  });

  test('WARNING and UNKNOWN still ping the plain URL: the run happened and nothing is critical', async () => {
    assert.equal((await run(1, base())).level, 'WARNING');
    assert.equal((await run(3, base())).level, 'UNKNOWN');
    assert.deepEqual(
      pings.map((p) => p.path),
      [`/ping/${UUID}`, `/ping/${UUID}`],
    );
    assert.match(pings[0]!.body, /^WARNING \(1 warning, 1 ok\).*\nWARNING app: exit 1\n$/);
  });

  test('CRITICAL: exactly one ping on URL/fail, naming the failing check', async () => {
    const outcome = await run(2, base());
    assert.equal(outcome.level, 'CRITICAL');
    assert.deepEqual(
      pings.map((p) => p.path),
      [`/ping/${UUID}/fail`],
    );
    assert.match(pings[0]!.body, /^CRITICAL \(1 critical, 1 ok\) on web-1 .*\nCRITICAL app: exit 2\n$/);
  });

  test('start: true sends URL/start as the run begins, then the result: two pings, in that order', async () => {
    await run(2, `{ url: "${base()}?rid=abc", start: true }`);
    assert.deepEqual(
      pings.map((p) => [p.path, p.query]),
      [
        [`/ping/${UUID}/start`, '?rid=abc'],
        [`/ping/${UUID}/fail`, '?rid=abc'],
      ],
    );
  });

  test('a partial --only run does not ping: the monitor hears only from whole runs', async () => {
    await run(0, `{ url: "${base()}", start: true }`, { only: ['app'] });
    assert.deepEqual(pings, []);
  });

  test('a receiver answering 500 is logged as ERROR with the URL masked; the run keeps its level', async () => {
    answer = (res) => void res.writeHead(500).end('nope');
    const outcome = await run(0, base());
    assert.equal(outcome.level, 'OK');
    assert.equal(pings.length, 1);
    assert.match(outcome.log, /ERROR: heartbeat: ping to http:\/\/127\.0\.0\.1:\d+\/ping\/\*\*\* failed: HTTP 500/);
    assert.ok(!outcome.log.includes(UUID), "the ping URL's secret stays out of the log");
  });

  test('a receiver that never answers is given up after the timeout; the run finishes', async () => {
    answer = () => undefined;
    const outcome = await run(2, `{ url: "${base()}", timeout: 300ms }`);
    assert.equal(outcome.level, 'CRITICAL');
    assert.deepEqual(
      pings.map((p) => p.path),
      [`/ping/${UUID}/fail`],
    );
    assert.match(
      outcome.log,
      /ERROR: heartbeat: ping to http:\/\/127\.0\.0\.1:\d+\/ping\/\*\*\*\/fail failed: no answer within 300 ms/,
    );
    assert.match(outcome.log, /Health check finished: CRITICAL/);
  });

  test("a receiver that never answers is stopped when the run's deadline leaves it no more time, before its own timeout", async () => {
    answer = () => undefined;
    // Its timeout equals the deadline (the most the config allows); what the checks and alerts used is not left for it.
    const outcome = await run(2, `{ url: "${base()}", timeout: 2s }`, { yaml: 'deadline: 2s\n' });
    assert.equal(outcome.level, 'CRITICAL');
    assert.match(outcome.log, /ERROR: heartbeat: stopped: its share of the run's deadline \([\d.]+(ms|s)\) is used up/);
    assert.match(outcome.log, /Health check finished: CRITICAL/);
  });

  test('a receiver that streams an endless answer: its status line is the answer, its body is never read', async () => {
    let sent = 0;
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      pump();
    };
    const outcome = await run(0, base());
    assert.match(outcome.log, /INFO: Heartbeat sent: /);
    assert.ok(sent < 16 * 1024 * 1024, `the receiver got ${sent} bytes out before the ping hung up`);
  });

  test('nobody listening: connection refused is logged, never thrown', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await run(0, `http://127.0.0.1:${deadPort}/${UUID}`);
    assert.equal(outcome.level, 'OK');
    assert.match(outcome.log, /ERROR: heartbeat: ping to http:\/\/127\.0\.0\.1:\d+\/\*\*\* failed: ECONNREFUSED/);
  });
});

describe('ping URLs', () => {
  test('the suffix goes on the path; the query string stays', () => {
    assert.equal(pingUrl('https://hc-ping.com/abc', 'fail'), 'https://hc-ping.com/abc/fail');
    assert.equal(pingUrl('https://hc-ping.com/abc/', 'start'), 'https://hc-ping.com/abc/start');
    assert.equal(
      pingUrl('https://hc.example.com/ping/abc?rid=1', 'fail'),
      'https://hc.example.com/ping/abc/fail?rid=1',
    );
    assert.equal(pingUrl('https://hc-ping.com/abc', 'success'), 'https://hc-ping.com/abc');
  });

  test('masked whatever the host: the path after its first segment is the secret', () => {
    assert.doesNotMatch(
      maskPingUrl('https://hc.example.com/ping/abc-123-def/fail', 'https://hc.example.com/ping/abc-123-def'),
      /abc-123-def/,
    );
    assert.doesNotMatch(maskPingUrl('https://hc-ping.com/abc-123-def'), /abc-123-def/);
    assert.doesNotMatch(maskPingUrl('https://user:pw@hc.example.com/ping/key1234/slug-name'), /pw|key1234|slug-name/);
  });
});
