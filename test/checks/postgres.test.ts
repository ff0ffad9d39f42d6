// The `postgres` check against a real PostgreSQL on loopback: up, down, wrong password, unknown database, TLS, hung server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import { runYaml } from '../helpers/check-run.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { postgresSkip, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { makeSelfSigned, opensslSkip, type CertFiles } from '../helpers/self-signed.js';
import { warmProbeWorker } from '../helpers/probe-warmup.js';
import { freePort, startSilentListener } from '../helpers/silent-listener.js';

const PASSWORD = 'Pg-Sekrit-Walrus-42';
const WRONG = 'Wrong-Pg-Pass-Otter-7';
const SECRETS = [PASSWORD, WRONG];

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a password leaked into:\n${text}`);
}

function check(name: string, url: string, extra = ''): string {
  return `  - { name: ${name}, type: postgres, url: "${url}", timeout: 20s${extra} }\n`;
}

describe('postgres check', { skip: postgresSkip }, () => {
  let server: PostgresServer;
  let base: string;
  before(async () => {
    server = await startPostgres({ user: 'app', password: PASSWORD, database: 'app' });
    base = `127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.stop();
  });

  test('a reachable database with the right password is OK with a measured response time and a masked URL', async () => {
    const run = await runYaml(check('db', `postgres://app:${PASSWORD}@${base}/app`));
    const entry = run.report.services.db!;
    assert.equal(entry.level, 'OK', JSON.stringify(entry));
    assert.equal(entry.status, 'healthy');
    assert.equal(entry.message, 'SELECT 1 OK');
    assert.equal(typeof entry.response_time_ms, 'number');
    assert.ok(entry.response_time_ms! > 0);
    assert.equal(entry.url, `postgres://app:***@${base}/app`);
    assert.match(
      run.log,
      new RegExp(
        `SUCCESS: db: SELECT 1 OK on postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/app \\([\\d.]+ ms\\)`,
      ),
    );
    assert.ok(run.results[0]!.perf?.some((p) => p.label === 'db_time' && p.uom === 's'));
    assertNoSecret(run.everything);
  });

  test('sslmode=disable and postgresql:// work the same on a server without TLS', async () => {
    const run = await runYaml(check('plain', `postgresql://app:${PASSWORD}@${base}/app?sslmode=disable`));
    assert.equal(run.report.services.plain!.level, 'OK');
    assert.equal(run.report.services.plain!.url, `postgresql://app:***@${base}/app?sslmode=disable`);
  });

  test('a unix socket given as ?host=/dir works like TCP', async () => {
    const run = await runYaml(
      check('socket', `postgres://app:${PASSWORD}@localhost:${server.port}/app?host=${server.socketDir}`),
    );
    assert.equal(run.report.services.socket!.level, 'OK', run.report.services.socket!.message);
    assertNoSecret(run.everything);
  });

  test('sslmode=require against a server without TLS is CRITICAL and says the server offers none', async () => {
    const run = await runYaml(check('needtls', `postgres://app:${PASSWORD}@${base}/app?sslmode=require`));
    assert.equal(run.report.services.needtls!.level, 'CRITICAL');
    assert.match(run.report.services.needtls!.message, /does not offer TLS \(sslmode=require/);
    assertNoSecret(run.everything);
  });

  test('a wrong password is CRITICAL and says so', async () => {
    const run = await runYaml(check('badpw', `postgres://app:${WRONG}@${base}/app`));
    assert.equal(run.report.services.badpw!.level, 'CRITICAL');
    assert.equal(run.report.services.badpw!.message, 'wrong password for user app (password authentication failed)');
    assert.match(
      run.log,
      /ERROR: badpw: wrong password for user app \(password authentication failed\): postgres:\/\/app:\*\*\*@/,
    );
    assertNoSecret(run.everything);
  });

  test('an unknown database is CRITICAL and names it', async () => {
    const run = await runYaml(check('nodb', `postgres://app:${PASSWORD}@${base}/no_such_db`));
    assert.equal(run.report.services.nodb!.level, 'CRITICAL');
    assert.equal(run.report.services.nodb!.message, 'unknown database: database "no_such_db" does not exist');
    assertNoSecret(run.everything);
  });

  test('a URL without a password is CRITICAL and says the server asks for one', async () => {
    const run = await runYaml(check('nopw', `postgres://app@${base}/app`));
    assert.equal(run.report.services.nopw!.level, 'CRITICAL');
    assert.match(run.report.services.nopw!.message, /^the server asks for a password and the URL has none/);
  });

  test('max_response_ms lower than the answer took is WARNING', async () => {
    const run = await runYaml(check('slow', `postgres://app:${PASSWORD}@${base}/app`, ', max_response_ms: 0.0001'));
    assert.equal(run.report.services.slow!.level, 'WARNING');
    assert.match(run.report.services.slow!.message, /^SELECT 1 OK, slow: [\d.]+ ms > 0\.0001 ms$/);
  });

  test('end to end through the built binary: --json, exit code and log file, no password anywhere', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nn-pg-e2e-'));
    try {
      const configFile = join(work, 'health.yml');
      const logFile = join(work, 'health_check.log');
      writeFileSync(
        configFile,
        `log_file: ${logFile}\nstate_dir: ${join(work, 'state')}\nchecks:\n` +
          check('database', `postgres://app:${PASSWORD}@${base}/app`) +
          check('database-badpw', `postgres://app:${WRONG}@${base}/app`) +
          check('database-missing', `postgres://app:${PASSWORD}@${base}/gone`),
      );
      await ensureBuilt();
      const { code, stdout, stderr } = await runCli(['--config', configFile, '--json', '--no-alert']);
      assert.equal(code, 2, stderr);
      const report = JSON.parse(stdout);
      assert.equal(report.services.database.level, 'OK');
      assert.equal(report.services.database.status, 'healthy');
      assert.equal(report.services.database.url, `postgres://app:***@${base}/app`);
      assert.equal(report.services['database-badpw'].status, 'unhealthy');
      assert.equal(
        report.services['database-badpw'].message,
        'wrong password for user app (password authentication failed)',
      );
      assert.equal(report.services['database-missing'].message, 'unknown database: database "gone" does not exist');
      const log = readFileSync(logFile, 'utf8');
      assert.match(
        log,
        /SUCCESS: database: SELECT 1 OK on postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/app \([\d.]+ ms\)/,
      );
      assert.match(log, /ERROR: database-badpw: wrong password for user app/);
      assert.match(log, /ERROR: database-missing: unknown database/);
      assertNoSecret([stdout, stderr, log].join('\n'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the check itself returns masked text, before any output masks it again', async () => {
    const config = parseConfigText(
      `checks:\n${check('raw-ok', `postgres://app:${PASSWORD}@${base}/app`)}${check('raw-bad', `postgres://app:${WRONG}@${base}/app`)}`,
      'test.yml',
      {},
    );
    const results = await executeChecks(config.checks, {
      concurrency: 4,
      deadlineMs: 20_000,
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

describe('postgres check without a server', () => {
  // The probe worker built and started once up front, so the 1s timeouts below are spent on the network, not on a
  // first build on a busy machine.
  before(async () => {
    await warmProbeWorker();
  });

  test('a closed port is CRITICAL: connection refused', async () => {
    const port = await freePort();
    const run = await runYaml(check('down', `postgres://app:${PASSWORD}@127.0.0.1:${port}/app`));
    assert.equal(run.report.services.down!.level, 'CRITICAL');
    assert.equal(run.report.services.down!.message, 'connection refused');
    assert.match(
      run.log,
      new RegExp(`ERROR: down: connection refused: postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app`),
    );
    assertNoSecret(run.everything);
  });

  test('a listener that never answers is CRITICAL at the timeout, and the connection is closed', async () => {
    // 3 s, not 1 s: the client starts in a worker thread of its own first (docs/checks-timing.md), which on a
    // heavily shared test host can take most of a second before the connect.
    const silent = await startSilentListener();
    try {
      const run = await runYaml(
        `  - { name: hung, type: postgres, url: "postgres://app:${PASSWORD}@127.0.0.1:${silent.port}/app", timeout: 3s }\n`,
      );
      assert.equal(run.report.services.hung!.level, 'CRITICAL');
      assert.match(run.log, /ERROR: hung: no answer within 3s \(timeout\)/);
      assertNoSecret(run.everything);
      assert.ok(silent.accepted() >= 1, 'the client never reached the silent listener');
      for (let i = 0; i < 100 && silent.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(silent.openConnections(), 0, 'the pg client left its connection open after the timeout');
    } finally {
      await silent.close();
    }
  });

  test('a URL that is not postgres://, or an unknown sslmode, is refused by the config check', () => {
    for (const url of ['mysql://app@db/app', 'postgres://app@db/app?sslmode=sometimes']) {
      assert.throws(
        () => parseConfigText(`checks:\n  - { name: p, type: postgres, url: "${url}" }\n`, 'cfg.yml', {}),
        (error: Error) =>
          /url/.test(error.message) && /postgres:\/\//.test(error.message) && /verify-full/.test(error.message),
      );
    }
  });
});

describe('postgres check over TLS (sslmode)', { skip: postgresSkip || opensslSkip }, () => {
  let server: PostgresServer;
  let dir: string;
  let cert: CertFiles;
  let base: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nn-pg-tls-'));
    cert = makeSelfSigned(dir);
    server = await startPostgres({ user: 'app', password: PASSWORD, database: 'app', tls: cert });
    base = `postgres://app:${PASSWORD}@127.0.0.1:${server.port}/app`;
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('require encrypts without checking the certificate; no sslmode means prefer, which uses TLS when offered', async () => {
    const run = await runYaml(check('req', `${base}?sslmode=require`) + check('pref', base));
    assert.equal(run.report.services.req!.level, 'OK');
    assert.equal(run.report.services.req!.message, 'SELECT 1 OK (TLS)');
    assert.equal(run.report.services.pref!.message, 'SELECT 1 OK (TLS)');
    assertNoSecret(run.everything);
  });

  test('verify-full refuses a self-signed certificate, and accepts it as its own root with sslrootcert', async () => {
    const run = await runYaml(
      check('strict', `${base}?sslmode=verify-full`) +
        check('pinned', `${base}?sslmode=verify-full&sslrootcert=${cert.cert}`),
    );
    assert.equal(run.report.services.strict!.level, 'CRITICAL');
    assert.match(run.report.services.strict!.message, /^TLS certificate is self-signed \(sslmode=verify-full/);
    assert.equal(run.report.services.pinned!.level, 'OK');
    assert.equal(run.report.services.pinned!.message, 'SELECT 1 OK (TLS)');
    assertNoSecret(run.everything);
  });

  test('disable connects in plain text to a server that also offers TLS', async () => {
    const run = await runYaml(check('off', `${base}?sslmode=disable`));
    assert.equal(run.report.services.off!.message, 'SELECT 1 OK');
  });
});
