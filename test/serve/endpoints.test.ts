// serve as a new user meets it: a healthy HTTP check, a dead TCP port and a disk check, then every public endpoint —
// shapes, status codes, HEAD, trailing slashes, Host ignored, and no secret in any answer (docs/serve.md "Endpoints").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { reply, startServer, type TestServer } from '../helpers/http-server.js';
import { get, startServe, suiteCleanup, type ServeProcess } from './serve-process.js';

const PASSWORD = 'hunter2-url-password';
const QUERY_TOKEN = 'q-token-0123456789';
const HEADER_SECRET = 'header-secret-abcdef';
const API_TOKEN = 'serve-token-0123456789abcdef';
const SECRETS = [PASSWORD, QUERY_TOKEN, HEADER_SECRET, API_TOKEN];

/** A port nothing listens on: bound once to learn a free number, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A raw request, so the Host header and the method are exactly what the test says. */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('serve: the health API over a healthy HTTP check, a dead TCP port and a disk check', () => {
  let app: TestServer;
  let serve: ServeProcess;
  const answers: string[] = [];
  const record = (text: string, headers: Headers | Record<string, unknown>) => {
    answers.push(text, JSON.stringify(headers instanceof Headers ? Object.fromEntries(headers) : headers));
  };

  const cleanup = suiteCleanup();
  after(() => cleanup.run());

  before(async () => {
    app = await startServer({ '/health': reply(200, { ok: true }) });
    cleanup.after(() => app.close());
    const port = await deadPort();
    serve = await startServe(
      cleanup,
      `state_dir: DIR/state
log_file: DIR/health.log
checks:
  - name: web
    type: http
    url: "http://app:${PASSWORD}@127.0.0.1:${app.port}/health?token=${QUERY_TOKEN}"
    headers: { Authorization: "Bearer ${HEADER_SECRET}" }
  - { name: dead, type: tcp, host: 127.0.0.1, port: ${port} }
  - { name: disk, type: disk, path: / }
serve:
  interval: 30s
  token: "${API_TOKEN}"
  access_log: DIR/access/serve.log
`,
    );
  });

  test('/api/health/ is 503 unhealthy with a unix timestamp; with or without the trailing slash; HEAD has no body', async () => {
    for (const path of ['/api/health/', '/api/health']) {
      const answer = await get(serve.base + path);
      record(answer.text, answer.headers);
      assert.equal(answer.status, 503);
      assert.match(answer.headers.get('content-type')!, /^application\/json/);
      const body = answer.json();
      assert.deepEqual(Object.keys(body), ['status', 'timestamp']);
      assert.equal(body.status, 'unhealthy');
      assert.ok(Number.isInteger(body.timestamp) && Math.abs(body.timestamp - Date.now() / 1000) < 120);
    }
    const head = await raw(serve.base, '/api/health/', { method: 'HEAD' });
    assert.equal(head.status, 503);
    assert.equal(head.text, '');
    assert.ok(Number(head.headers['content-length']) > 0);
  });

  test('/api/health/detailed/ has every check in the seed shape, with response times for both network checks', async () => {
    const answer = await get(`${serve.base}/api/health/detailed/`);
    record(answer.text, answer.headers);
    assert.equal(answer.status, 503);
    const body = answer.json();
    assert.deepEqual(Object.keys(body), ['status', 'timestamp', 'services', 'total_response_time_ms']);
    assert.equal(body.status, 'unhealthy');
    assert.equal(typeof body.total_response_time_ms, 'number');
    assert.deepEqual(Object.keys(body.services), ['web', 'dead', 'disk']);
    const allowed = ['status', 'response_time_ms', 'url', 'usage_percent', 'free_gb', 'message'];
    for (const [name, service] of Object.entries<Record<string, unknown>>(body.services)) {
      for (const key of Object.keys(service))
        assert.ok(allowed.includes(key), `${name}.${key} is not in the seed's shape`);
      assert.equal(typeof service.message, 'string');
    }
    assert.equal(body.services.web.status, 'healthy');
    assert.equal(typeof body.services.web.response_time_ms, 'number');
    assert.equal(body.services.web.url, `http://app:***@127.0.0.1:${app.port}/health?token=***`);
    assert.equal(body.services.dead.status, 'unhealthy');
    assert.equal(typeof body.services.dead.response_time_ms, 'number');
    assert.match(body.services.dead.message, /connection refused/);
    assert.equal(typeof body.services.disk.usage_percent, 'number');
    assert.equal(typeof body.services.disk.free_gb, 'number');
    // The uptime monitor's keyword rules: "healthy" must be there, so must "unhealthy" on a failing host.
    assert.match(answer.text, /"status":"unhealthy"/);
  });

  test('ready is 503 naming the failing check; live is 200', async () => {
    const ready = await get(`${serve.base}/api/health/ready/`);
    record(ready.text, ready.headers);
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.json(), { status: 'not ready', failing: ['dead'] });
    const live = await get(`${serve.base}/api/health/live`);
    record(live.text, live.headers);
    assert.equal(live.status, 200);
    assert.equal(live.json().status, 'alive');
  });

  test('/api/system/stats/ is exactly the seed shape, in bytes and percent', async () => {
    const answer = await get(`${serve.base}/api/system/stats/`);
    record(answer.text, answer.headers);
    assert.equal(answer.status, 200);
    const stats = answer.json();
    assert.deepEqual(Object.keys(stats), ['cpu', 'memory', 'disk']);
    assert.deepEqual(Object.keys(stats.cpu), ['percent', 'count', 'load_avg']);
    assert.deepEqual(Object.keys(stats.memory), ['total', 'available', 'percent']);
    assert.deepEqual(Object.keys(stats.disk), ['total', 'used', 'free', 'percent']);
    assert.ok(stats.cpu.percent >= 0 && stats.cpu.percent <= 100);
    assert.equal(stats.cpu.load_avg.length, 3);
    assert.ok(stats.memory.available <= stats.memory.total);
    assert.ok(stats.disk.used + stats.disk.free <= stats.disk.total);
  });

  test('/metrics parses as Prometheus text, has the textfile families, and passes promtool when it is installed', async () => {
    const answer = await get(`${serve.base}/metrics`);
    record(answer.text, answer.headers);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(answer.text);
    const status = families.find((f) => f.name === 'neuronova_check_status')!;
    assert.equal(status.type, 'GAUGE');
    assert.deepEqual(
      status.metrics.map((m) => [m.labels?.check, m.value]),
      [
        ['web', '0'],
        ['dead', '2'],
        ['disk', '0'],
      ],
    );
    for (const name of [
      'neuronova_check_up',
      'neuronova_check_duration_seconds',
      'neuronova_disk_used_ratio',
      'neuronova_run_status',
      'neuronova_last_run_timestamp_seconds',
    ]) {
      assert.ok(
        families.some((f) => f.name === name),
        name,
      );
    }
    const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
    if (!promtool) {
      // CI installs prometheus (.ci/run); a developer's machine may not have it.
      assert.ok(!process.env.CI, 'promtool is missing in CI: apt-get install -y prometheus');
      return;
    }
    const file = join(serve.dir, 'metrics.txt');
    writeFileSync(file, answer.text);
    const checked = spawnSync('sh', ['-c', `${promtool} check metrics < ${file}`], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  });

  test('/ is the status page, self-contained, refreshing itself in place by a script its CSP allows', async () => {
    const answer = await get(`${serve.base}/`);
    record(answer.text, answer.headers);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type')!, /^text\/html/);
    assert.match(answer.text, /<title>[^<]+ status: Service disruption<\/title>/);
    assert.match(answer.text, /id="checks"/);
    for (const name of ['web', 'dead', 'disk']) assert.ok(answer.text.includes(name), name);
    assert.doesNotMatch(answer.text, /http-equiv="refresh"/, 'no full reload');
    const script = /<script>([^<]*)<\/script>/.exec(answer.text)?.[1];
    assert.ok(script && /DOMParser/.test(script) && /const every=30000;/.test(script), script);
    const hash = (await import('node:crypto')).createHash('sha256').update(script).digest('base64');
    assert.ok(answer.text.includes(`script-src 'sha256-${hash}'`), 'the CSP allows exactly this script');
    assert.doesNotMatch(answer.text, /<(script|link|img)[^>]+(src|href)=["']?https?:/i, 'no external resources');
  });

  test('the Host header changes nothing; unknown paths 404, other methods 405, a request body 413', async () => {
    const plain = await raw(serve.base, '/api/health/');
    const spoofed = await raw(serve.base, '/api/health/', { headers: { host: 'evil.example:1' } });
    assert.equal(spoofed.status, plain.status);
    assert.equal(spoofed.text, plain.text);
    const missing = await raw(serve.base, '/api/health/../../etc/passwd');
    assert.equal(missing.status, 404);
    const post = await raw(serve.base, '/api/health/', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const body = await raw(serve.base, '/api/health/', {
      method: 'GET',
      headers: { 'content-type': 'text/plain', 'content-length': '1000' },
      body: 'x'.repeat(1000),
    });
    assert.equal(body.status, 413);
    for (const answer of [plain, spoofed, missing, post, body]) record(answer.text, answer.headers);
  });

  test('no password, token or header value in any answer, and none in the access log', async () => {
    // The log API's answers are recorded by its own test file; here every public answer above, plus a 401.
    const denied = await get(`${serve.base}/api/logs/summary/`);
    record(denied.text, denied.headers);
    assert.equal(denied.status, 401);
    assert.ok(answers.length >= 20);
    for (const text of answers)
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret in: ${text.slice(0, 200)}`);
    const stopped = await serve.stop();
    assert.equal(stopped.code, 0, serve.stderr());
    const log = spawnSync('sh', ['-c', `cat ${serve.dir}/access/*`], { encoding: 'utf8' }).stdout;
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(lines.length >= 15);
    for (const line of lines) {
      assert.equal(typeof line.req_id, 'string');
      assert.equal(typeof line.route, 'string');
      assert.equal(typeof line.status, 'number');
      assert.equal(typeof line.duration_ms, 'number');
    }
    for (const secret of SECRETS) assert.ok(!log.includes(secret));
    assert.equal(serve.stderr(), '', 'nothing said on stderr');
  });
});
