// The `http` check against real node:http / node:https servers on 127.0.0.1: status, keywords, JSON, speed, redirects,
// the 1 MiB body cap, refused and hung endpoints, TLS (a self-signed certificate made with openssl), masked secrets.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runYaml } from '../helpers/check-run.js';
import { never, reply, startServer, type TestServer } from '../helpers/http-server.js';
import { makeSelfSigned, opensslSkip } from '../helpers/self-signed.js';
import { freePort, startSilentListener } from '../helpers/silent-listener.js';

const MiB = 1024 * 1024;

/** One http check as a YAML list item; `extra` is more flow-mapping keys (", expect: {...}"). */
const item = (name: string, url: string, extra = '') =>
  `  - { name: ${name}, type: http, url: "${url}", timeout: 3s${extra} }\n`;

describe('http check', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      '/ok': reply(200, 'all good: ok'),
      '/bad-gateway': reply(502, 'upstream down'),
      '/unavailable': reply(503, 'maintenance'),
      '/no-content': reply(204),
      '/error-page': reply(200, 'Oops: an error occurred (Traceback ...)'),
      '/health': reply(200, {
        status: 'healthy',
        services: { database: 'up', cache: { ok: true } },
        workers: [{ name: 'w1' }],
        version: 3,
      }),
      '/degraded': reply(200, { status: 'degraded' }),
      '/slow': (_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 150),
      '/old': reply(302, 'moved', { location: '/new' }),
      '/new': reply(200, 'the new place'),
      '/loop': reply(301, '', { location: '/loop' }),
      '/big': (_req, res) => {
        // 3 MiB: the keyword sits past the first MiB, so a capped read cannot see it
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('START' + 'x'.repeat(3 * MiB) + 'END');
      },
      '/endless': (_req, res) => {
        // never ends: without the cap the check could only stop at its timeout
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'START' + 'y'.repeat(64 * 1024);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      },
      '/hung': never,
      '/half': (_req, res) => {
        res.writeHead(200);
        res.write('headers and a first chunk, then nothing');
      },
      '/auth': (req, res) => {
        const expected = 'Basic ' + Buffer.from('monitor:s3cret-Pa55').toString('base64');
        res
          .writeHead(req.headers.authorization === expected ? 200 : 401)
          .end(req.headers.authorization === expected ? 'ok' : 'who are you');
      },
      '/echo': (req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () =>
          res.writeHead(200).end(JSON.stringify({ method: req.method, key: req.headers['x-api-key'] ?? null, body })),
        );
      },
    });
  });
  after(async () => {
    await server?.close();
  });

  test('200 is OK: status word, http_status, response time, and the §5 log line', async () => {
    const run = await runYaml(item('web', server.url('/ok')));
    const entry = run.report.services.web!;
    assert.equal(entry.type, 'http');
    assert.equal(entry.level, 'OK');
    assert.equal(entry.status, 'healthy');
    assert.equal(entry.message, 'HTTP 200 OK');
    assert.equal(entry.http_status, 200);
    assert.equal(typeof entry.response_time_ms, 'number');
    const url = server.url('/ok').replace(/[.]/g, '\\.');
    assert.match(
      run.log,
      new RegExp(
        `^\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] SUCCESS: web: HTTP 200 OK from ${url} \\([\\d.]+ ms\\)$`,
        'm',
      ),
    );
  });

  test('5xx is CRITICAL and the log line says which status from which URL', async () => {
    const run = await runYaml(item('api', server.url('/bad-gateway')) + item('maint', server.url('/unavailable')));
    assert.equal(run.report.services.api!.level, 'CRITICAL');
    assert.equal(run.report.services.api!.status, 'unhealthy');
    assert.equal(run.report.services.api!.message, 'HTTP 502 Bad Gateway');
    assert.equal(run.report.services.api!.http_status, 502);
    assert.equal(run.report.services.maint!.message, 'HTTP 503 Service Unavailable');
    assert.match(
      run.log,
      /ERROR: api: HTTP 502 Bad Gateway from http:\/\/127\.0\.0\.1:\d+\/bad-gateway \([\d.]+ ms\)$/m,
    );
    assert.equal(run.report.level, 'CRITICAL');
  });

  test('contains / not_contains: a missing keyword or a forbidden one is CRITICAL, named in the message', async () => {
    const run = await runYaml(
      item('has', server.url('/ok'), ', expect: { contains: ["ok", "good"] }') +
        item('lacks', server.url('/ok'), ', expect: { contains: ["healthy"] }') +
        item('clean', server.url('/ok'), ', expect: { not_contains: ["error"] }') +
        item('dirty', server.url('/error-page'), ', expect: { not_contains: ["error", "Traceback"] }'),
    );
    assert.equal(run.report.services.has!.level, 'OK');
    assert.equal(run.report.services.lacks!.level, 'CRITICAL');
    assert.equal(run.report.services.lacks!.message, 'HTTP 200 OK, body lacks "healthy"');
    assert.equal(run.report.services.clean!.level, 'OK');
    assert.equal(run.report.services.dirty!.level, 'CRITICAL');
    assert.equal(run.report.services.dirty!.message, 'HTTP 200 OK, body contains "error", body contains "Traceback"');
    assert.match(run.log, /ERROR: dirty: HTTP 200 OK, body contains "error", body contains "Traceback" from /);
  });

  test('json: dotted paths compared by value; a miss, a missing key and a non-JSON body are CRITICAL', async () => {
    const run = await runYaml(
      item(
        'match',
        server.url('/health'),
        ', expect: { json: { status: healthy, services.database: up, services.cache.ok: true, workers.0.name: w1, version: 3 } }',
      ) +
        item('wrong', server.url('/degraded'), ', expect: { json: { status: healthy } }') +
        item('missing', server.url('/health'), ', expect: { json: { services.queue: up } }') +
        item('notjson', server.url('/ok'), ', expect: { json: { status: healthy } }'),
    );
    assert.equal(run.report.services.match!.level, 'OK');
    assert.equal(run.report.services.wrong!.level, 'CRITICAL');
    assert.equal(run.report.services.wrong!.message, 'HTTP 200 OK, JSON status is "degraded", expected "healthy"');
    assert.equal(run.report.services.missing!.level, 'CRITICAL');
    assert.match(run.report.services.missing!.message, /JSON services\.queue is missing/);
    assert.equal(run.report.services.notjson!.level, 'CRITICAL');
    assert.match(run.report.services.notjson!.message, /body is not JSON/);
  });

  test('status rules: default 200..399, exact code, list, range and family', async () => {
    const run = await runYaml(
      item('nocontent', server.url('/no-content')) +
        item('exact', server.url('/no-content'), ', expect: { status: 200 }') +
        item('list', server.url('/no-content'), ', expect: { status: [200, 204] }') +
        item('family', server.url('/no-content'), ', expect: { status: "2xx" }') +
        item('range', server.url('/bad-gateway'), ', expect: { status: "200..499" }') +
        item('wanted404', server.url('/nothing-here'), ', expect: { status: 404 }') +
        item('plain404', server.url('/nothing-here')),
    );
    const level = (name: string) => run.report.services[name]!.level;
    assert.equal(level('nocontent'), 'OK');
    assert.equal(level('exact'), 'CRITICAL');
    assert.equal(run.report.services.exact!.message, 'HTTP 204 No Content');
    assert.equal(level('list'), 'OK');
    assert.equal(level('family'), 'OK');
    assert.equal(level('range'), 'CRITICAL');
    assert.equal(level('wanted404'), 'OK');
    assert.equal(level('plain404'), 'CRITICAL');
  });

  test('max_response_ms: slower than asked is WARNING, and a miss on top of it stays CRITICAL', async () => {
    const run = await runYaml(
      item('slow', server.url('/slow'), ', expect: { max_response_ms: 50 }') +
        item('slowbad', server.url('/slow'), ', expect: { max_response_ms: 50, contains: ["nope"] }') +
        item('fast', server.url('/ok'), ', expect: { max_response_ms: 2000 }'),
    );
    assert.equal(run.report.services.slow!.level, 'WARNING');
    assert.equal(run.report.services.slow!.status, 'degraded');
    assert.match(run.report.services.slow!.message, /^HTTP 200 OK, slow: [\d.]+ ms > 50 ms$/);
    assert.match(run.log, /WARNING: slow: HTTP 200 OK, slow: [\d.]+ ms > 50 ms from /);
    assert.equal(run.report.services.slowbad!.level, 'CRITICAL');
    assert.equal(run.report.services.fast!.level, 'OK');
  });

  test('redirects are not followed unless asked', async () => {
    const before = server.hits('/new');
    const run = await runYaml(
      item('moved', server.url('/old')) + item('moved200', server.url('/old'), ', expect: { status: 200 }'),
    );
    assert.equal(run.report.services.moved!.level, 'OK', 'a 302 is within the default 200..399');
    assert.equal(run.report.services.moved!.message, 'HTTP 302 Found');
    assert.equal(run.report.services.moved200!.level, 'CRITICAL');
    assert.equal(server.hits('/new'), before, 'the target was never requested');

    const followed = await runYaml(
      item('follow', server.url('/old'), ', follow_redirects: true, expect: { status: 200, contains: ["new place"] }'),
    );
    assert.equal(followed.report.services.follow!.level, 'OK');
    assert.equal(followed.report.services.follow!.message, 'HTTP 200 OK');
    assert.equal(server.hits('/new'), before + 1);

    const loop = await runYaml(item('loop', server.url('/loop'), ', follow_redirects: 3, expect: { status: 200 }'));
    assert.equal(loop.report.services.loop!.level, 'CRITICAL');
    assert.match(
      loop.report.services.loop!.message,
      /^HTTP 301 Moved Permanently, redirect loop: http:\/\/127\.0\.0\.1:\d+\/loop again$/,
    );
  });

  test('the body is read up to 1 MiB only: a keyword past it is not seen, an endless body still ends the check', async () => {
    const run = await runYaml(
      item('big-start', server.url('/big'), ', expect: { contains: ["START"] }') +
        item('big-end', server.url('/big'), ', expect: { contains: ["END"] }') +
        item('endless', server.url('/endless'), ', expect: { contains: ["START"] }'),
    );
    assert.equal(run.report.services['big-start']!.level, 'OK');
    assert.equal(run.report.services['big-end']!.level, 'CRITICAL');
    assert.equal(run.report.services['big-end']!.message, 'HTTP 200 OK, body lacks "END"');
    assert.match(run.log, /ERROR: big-end: .*body read up to 1 MiB\)$/m);
    assert.equal(run.report.services.endless!.level, 'OK', 'decided after 1 MiB, not by the 3 s timeout');
    assert.doesNotMatch(run.report.services.endless!.message, /timeout/);
  });

  test('method, headers and body are sent as configured', async () => {
    const run = await runYaml(
      item(
        'post',
        server.url('/echo'),
        ', method: POST, body: "ping", headers: { X-Api-Key: k-123 }, expect: { json: { method: POST, key: k-123, body: ping } }',
      ),
    );
    assert.equal(run.report.services.post!.level, 'OK', run.report.services.post!.message);
  });

  test('connection refused is CRITICAL', async () => {
    const port = await freePort();
    const run = await runYaml(item('down', `http://127.0.0.1:${port}/health`));
    assert.equal(run.report.services.down!.level, 'CRITICAL');
    assert.equal(run.report.services.down!.message, 'connection refused');
    assert.match(
      run.log,
      new RegExp(`ERROR: down: connection refused: http://127\\.0\\.0\\.1:${port}/health \\([\\d.]+ ms\\)$`, 'm'),
    );
  });

  test('a hung endpoint is CRITICAL at its timeout: no answer at all, headers without a body, a silent socket', async () => {
    const silent = await startSilentListener();
    try {
      const run = await runYaml(
        `  - { name: hung, type: http, url: "${server.url('/hung')}", timeout: 400ms }\n` +
          `  - { name: half, type: http, url: "${server.url('/half')}", timeout: 400ms }\n` +
          `  - { name: silent, type: http, url: "http://127.0.0.1:${silent.port}/", timeout: 400ms }\n` +
          item('fine', server.url('/ok')),
      );
      for (const name of ['hung', 'half', 'silent']) {
        assert.equal(run.report.services[name]!.level, 'CRITICAL', name);
        assert.equal(run.report.services[name]!.message, 'no answer within 400ms (timeout)');
        assert.match(run.log, new RegExp(`ERROR: ${name}: no answer within 400ms \\(timeout\\)$`, 'm'));
      }
      assert.equal(run.report.services.fine!.level, 'OK', 'the others are unaffected');
      // the stopped check closed its socket instead of leaving it to the server
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(silent.openConnections(), 0);
    } finally {
      await silent.close();
    }
  });

  test('credentials in the URL are used, and masked everywhere the run writes', async () => {
    const url = server.url('/auth').replace('://', '://monitor:s3cret-Pa55@');
    const run = await runYaml(item('private', url) + item('query', `${server.url('/ok')}?token=tok-998877&page=2`));
    assert.equal(run.report.services.private!.level, 'OK', 'the credentials reached the server');
    assert.equal(run.report.services.private!.url, `http://monitor:***@127.0.0.1:${server.port}/auth`);
    assert.equal(run.report.services.query!.url, `http://127.0.0.1:${server.port}/ok?token=***&page=2`);
    assert.ok(!run.everything.includes('s3cret-Pa55'), run.everything);
    assert.ok(!run.everything.includes('tok-998877'), run.everything);
  });
});

describe('http check over TLS (self-signed certificate made with openssl)', { skip: opensslSkip }, () => {
  let dir: string;
  let server: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nn-tls-'));
    const files = makeSelfSigned(dir); // valid for 2 days
    server = await startServer(
      { '/': reply(200, 'secure ok') },
      { cert: readFileSync(files.cert), key: readFileSync(files.key) },
    );
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a self-signed certificate is refused by default, with the fix in the message', async () => {
    const run = await runYaml(item('site', server.url('/')));
    assert.equal(run.report.services.site!.level, 'CRITICAL');
    assert.equal(
      run.report.services.site!.message,
      'TLS certificate is self-signed (set tls_verify: false to accept it)',
    );
  });

  test('tls_verify: false accepts it; a certificate ending within cert_days (default 14) is WARNING', async () => {
    const run = await runYaml(item('site', server.url('/'), ', tls_verify: false, expect: { contains: ["secure"] }'));
    const entry = run.report.services.site!;
    assert.equal(entry.level, 'WARNING');
    assert.equal(entry.status, 'degraded');
    assert.equal(entry.cert_days_left, 1);
    assert.equal(entry.message, 'HTTP 200 OK, TLS certificate expires in 1 day');
    assert.match(
      run.log,
      /WARNING: site: HTTP 200 OK, TLS certificate expires in 1 day from https:\/\/127\.0\.0\.1:\d+\/ /,
    );
    // the phases of an https request, in order, like curl's time_connect ≤ time_appconnect ≤ time_starttransfer
    const t = entry.timings as {
      dns_ms?: number;
      connect_ms: number;
      tls_ms: number;
      first_byte_ms: number;
      total_ms: number;
    };
    assert.equal(t.dns_ms, undefined, 'an IP address is not looked up');
    assert.ok(
      t.connect_ms <= t.tls_ms && t.tls_ms <= t.first_byte_ms && t.first_byte_ms <= t.total_ms,
      JSON.stringify(t),
    );
    assert.equal(t.total_ms, entry.response_time_ms);
  });

  test('cert_days lower than the days left is OK', async () => {
    const run = await runYaml(item('site', server.url('/'), ', tls_verify: false, expect: { cert_days: 1 }'));
    assert.equal(run.report.services.site!.level, 'OK');
    assert.equal(run.report.services.site!.cert_days_left, 1);
  });
});
