// The `redis` check against a real redis-server on loopback: up, down, wrong password, no password, ACL user, TLS, hung server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import { runYaml } from '../helpers/check-run.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { makeSelfSigned, opensslSkip } from '../helpers/self-signed.js';
import { warmProbeWorker } from '../helpers/probe-warmup.js';
import { freePort, startSilentListener } from '../helpers/silent-listener.js';

const PASSWORD = 'Redis-Sekrit-4711';
const WRONG = 'Not-The-Redis-Pass-0815';
const ACL_USER = { name: 'monitor', password: 'Acl-Pass-Zebra-99' };
const SECRETS = [PASSWORD, WRONG, ACL_USER.password];

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a password leaked into:\n${text}`);
}

function check(name: string, url: string, extra = ''): string {
  return `  - { name: ${name}, type: redis, url: "${url}", timeout: 20s${extra} }\n`;
}

describe('redis check', { skip: redisSkip }, () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedis({ password: PASSWORD, aclUser: ACL_USER });
  });
  after(async () => {
    await server?.stop();
  });

  test('a reachable server with the right password is OK with a measured response time and a masked URL', async () => {
    const run = await runYaml(check('cache', `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`));
    const entry = run.report.services.cache!;
    assert.equal(entry.level, 'OK');
    assert.equal(entry.status, 'healthy');
    assert.equal(entry.message, 'PONG');
    assert.equal(typeof entry.response_time_ms, 'number');
    assert.ok(entry.response_time_ms! > 0);
    assert.equal(entry.url, `redis://***@127.0.0.1:${server.port}/0`);
    assert.match(
      run.log,
      new RegExp(`SUCCESS: cache: PONG from redis://\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/0 \\([\\d.]+ ms\\)`),
    );
    assert.ok(run.results[0]!.perf?.some((p) => p.label === 'cache_time' && p.uom === 's'));
    assertNoSecret(run.everything);
  });

  test('an ACL user with its password is OK, and the user name stays visible', async () => {
    const run = await runYaml(check('acl', `redis://${ACL_USER.name}:${ACL_USER.password}@127.0.0.1:${server.port}`));
    assert.equal(run.report.services.acl!.level, 'OK');
    assert.equal(run.report.services.acl!.url, `redis://${ACL_USER.name}:***@127.0.0.1:${server.port}`);
    assertNoSecret(run.everything);
  });

  test('a wrong password is CRITICAL and says WRONGPASS', async () => {
    const run = await runYaml(
      check('wrong', `redis://:${WRONG}@127.0.0.1:${server.port}/0`) +
        check('wrong-acl', `redis://${ACL_USER.name}:${WRONG}@127.0.0.1:${server.port}/0`),
    );
    assert.equal(run.report.services.wrong!.level, 'CRITICAL');
    assert.equal(run.report.services.wrong!.message, 'wrong password (WRONGPASS)');
    assert.equal(run.report.services['wrong-acl']!.level, 'CRITICAL');
    assert.equal(
      run.report.services['wrong-acl']!.message,
      `wrong user name or password (WRONGPASS for user ${ACL_USER.name})`,
    );
    assert.match(run.log, /ERROR: wrong: wrong password \(WRONGPASS\): redis:\/\/\*\*\*@127\.0\.0\.1/);
    assertNoSecret(run.everything);
  });

  test('a URL without a password against a server that needs one is CRITICAL and says NOAUTH', async () => {
    const run = await runYaml(check('noauth', `redis://127.0.0.1:${server.port}/0`));
    assert.equal(run.report.services.noauth!.level, 'CRITICAL');
    assert.match(run.report.services.noauth!.message, /^authentication required \(NOAUTH\)/);
  });

  test('a database number the server does not have is CRITICAL and says so', async () => {
    const run = await runYaml(check('db', `redis://:${PASSWORD}@127.0.0.1:${server.port}/99`));
    assert.equal(run.report.services.db!.level, 'CRITICAL');
    assert.equal(run.report.services.db!.message, 'database 99 does not exist (DB index is out of range)');
    assertNoSecret(run.everything);
  });

  test('max_response_ms lower than the answer took is WARNING', async () => {
    const run = await runYaml(
      check('slow', `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`, ', max_response_ms: 0.0001'),
    );
    assert.equal(run.report.services.slow!.level, 'WARNING');
    assert.match(run.report.services.slow!.message, /^PONG, slow: [\d.]+ ms > 0\.0001 ms$/);
  });

  test('end to end through the built binary: --json, exit code, log file and Prometheus file, no password anywhere', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nn-redis-e2e-'));
    const silent = await startSilentListener();
    try {
      const appLog = join(work, 'app.log');
      const stamp = new Date(Date.now() - 60_000);
      const p2 = (n: number) => String(n).padStart(2, '0');
      writeFileSync(
        appLog,
        `${stamp.getFullYear()}-${p2(stamp.getMonth() + 1)}-${p2(stamp.getDate())} ${p2(stamp.getHours())}:${p2(stamp.getMinutes())}:${p2(stamp.getSeconds())},5 ERROR broker lost\n`,
      );
      const configFile = join(work, 'health.yml');
      const logFile = join(work, 'log', 'health_check.log');
      const promFile = join(work, 'neuronova.prom');
      writeFileSync(
        configFile,
        [
          `log_file: ${logFile}`,
          `state_dir: ${join(work, 'state')}`,
          `outputs: { prometheus: ${promFile} }`,
          'checks:',
          check('broker', `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`),
          check('broker-wrongpass', `redis://:${WRONG}@127.0.0.1:${server.port}/0`),
          `  - { name: broker-hung, type: redis, url: "redis://:${PASSWORD}@127.0.0.1:${silent.port}/0", timeout: 1s }`,
          `  - { name: celery-errors, type: log, path: ${appLog}, pattern: ERROR, window: 10m, warning: 1, critical: 10 }`,
        ].join('\n') + '\n',
      );
      await ensureBuilt();
      const { code, stdout, stderr } = await runCli(['--config', configFile, '--json', '--no-alert']);
      assert.equal(code, 2, stderr);
      const report = JSON.parse(stdout);
      assert.equal(report.level, 'CRITICAL');
      assert.equal(report.services.broker.level, 'OK');
      assert.equal(report.services.broker.url, `redis://***@127.0.0.1:${server.port}/0`);
      assert.equal(typeof report.services.broker.response_time_ms, 'number');
      assert.equal(report.services['broker-wrongpass'].message, 'wrong password (WRONGPASS)');
      assert.match(report.services['broker-hung'].message, /no answer within 1s \(timeout\)/);
      assert.equal(report.services['celery-errors'].level, 'WARNING');
      assert.equal(report.services['celery-errors'].matches, 1);
      assert.deepEqual(report.summary, { ok: 1, warning: 1, critical: 2, unknown: 0 });
      const log = readFileSync(logFile, 'utf8');
      assert.match(log, /SUCCESS: broker: PONG from redis:\/\/\*\*\*@127\.0\.0\.1:\d+\/0 \([\d.]+ ms\)/);
      assert.match(log, /ERROR: broker-wrongpass: wrong password \(WRONGPASS\)/);
      assert.match(log, /ERROR: broker-hung: no answer within 1s \(timeout\)/);
      assert.match(log, /WARNING: celery-errors: 1 line matching \/ERROR\/ in the last 10m/);
      const prom = existsSync(promFile) ? readFileSync(promFile, 'utf8') : '';
      assert.match(prom, /neuronova_check_status\{check="broker",type="redis"\} 0/);
      assert.match(prom, /neuronova_check_status\{check="broker-wrongpass",type="redis"\} 2/);
      assertNoSecret([stdout, stderr, log, prom].join('\n'));
    } finally {
      await silent.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the check itself returns masked text, before any output masks it again', async () => {
    const config = parseConfigText(
      `checks:\n${check('raw-ok', `redis://:${PASSWORD}@127.0.0.1:${server.port}/0`)}${check('raw-bad', `redis://:${WRONG}@127.0.0.1:${server.port}/0`)}`,
      'test.yml',
      {},
    );
    const results = await executeChecks(config.checks, {
      concurrency: 4,
      deadlineMs: 10_000,
      now: new Date(),
      thresholds: config.thresholds,
      previous: () => undefined,
    });
    assert.deepEqual(
      results.map((r) => r.level),
      ['OK', 'CRITICAL'],
    );
    assertNoSecret(JSON.stringify(results));
  });
});

describe('redis check without a server', () => {
  // The probe worker built and started once up front, so the 1s timeouts below are spent on the network, not on a
  // first build on a busy machine.
  before(async () => {
    await warmProbeWorker();
  });

  test('a closed port is CRITICAL: connection refused', async () => {
    const port = await freePort();
    const run = await runYaml(check('down', `redis://:${PASSWORD}@127.0.0.1:${port}/0`));
    assert.equal(run.report.services.down!.level, 'CRITICAL');
    assert.equal(run.report.services.down!.message, 'connection refused');
    assert.match(run.log, new RegExp(`ERROR: down: connection refused: redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/0`));
    assertNoSecret(run.everything);
  });

  test('a listener that never answers is CRITICAL at the timeout, and the connection is closed', async () => {
    // 3 s, not 1 s: the client starts in a worker thread of its own first (docs/checks-timing.md), which on a
    // heavily shared test host can take most of a second before the connect.
    const silent = await startSilentListener();
    try {
      const run = await runYaml(
        `  - { name: hung, type: redis, url: "redis://:${PASSWORD}@127.0.0.1:${silent.port}/0", timeout: 3s }\n`,
      );
      assert.equal(run.report.services.hung!.level, 'CRITICAL');
      assert.match(run.report.services.hung!.message, /timeout/);
      assert.match(run.log, /ERROR: hung: no answer within 3s \(timeout\)/);
      assertNoSecret(run.everything);
      assert.ok(silent.accepted() >= 1, 'the client never reached the silent listener');
      // The check must let go of its socket once stopped; give the close a moment to reach the listener.
      for (let i = 0; i < 100 && silent.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(silent.openConnections(), 0, 'the redis client left its connection open after the timeout');
    } finally {
      await silent.close();
    }
  });

  test('a URL that is not redis:// is refused by the config check, naming the key', () => {
    assert.throws(
      () => parseConfigText('checks:\n  - { name: r, type: redis, url: "http://127.0.0.1:6379" }\n', 'cfg.yml', {}),
      (error: Error) => /checks\[0\]\.url|checks\.0\.url/.test(error.message) && /redis:\/\//.test(error.message),
    );
  });
});

describe('redis check over TLS (rediss://)', { skip: redisSkip || opensslSkip }, () => {
  let server: RedisServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nn-redis-tls-'));
    const cert = makeSelfSigned(dir);
    server = await startRedis({ password: PASSWORD, tls: cert });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a self-signed certificate is CRITICAL by default, and OK with tls_verify: false', async () => {
    const url = `rediss://:${PASSWORD}@127.0.0.1:${server.port}/0`;
    const run = await runYaml(check('strict', url) + check('lenient', url, ', tls_verify: false'));
    assert.equal(run.report.services.strict!.level, 'CRITICAL');
    assert.equal(run.report.services.strict!.message, 'TLS certificate is self-signed (tls_verify: false accepts it)');
    assert.equal(run.report.services.lenient!.level, 'OK');
    assert.equal(run.report.services.lenient!.message, 'PONG (TLS)');
    assert.equal(run.report.services.lenient!.url, `rediss://***@127.0.0.1:${server.port}/0`);
    assertNoSecret(run.everything);
  });

  test('a plain redis:// client against a TLS port does not get PONG', async () => {
    const run = await runYaml(
      `  - { name: plain, type: redis, url: "redis://:${PASSWORD}@127.0.0.1:${server.port}/0", timeout: 1s }\n`,
    );
    assert.equal(run.report.services.plain!.level, 'CRITICAL');
    assertNoSecret(run.everything);
  });
});
