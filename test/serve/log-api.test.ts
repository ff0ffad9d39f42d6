// The log API over HTTP: bearer token (401 without, 403 wrong), the listed files only (no path tricks), error lines
// and analytics from real log files, cleanup of rotated copies only, a rate limit, and off when no token is set.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { localStamp } from '../../src/util/time.js';
import { get, startServe, suiteCleanup, type ServeProcess } from './serve-process.js';

const TOKEN = 'log-api-token-0123456789abcdef';
const DB_PASSWORD = 's3cret-db-password';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('serve: the log API', () => {
  let serve: ServeProcess;
  let logs: string;
  const cleanup = suiteCleanup();
  after(() => cleanup.run());

  before(async () => {
    serve = await startServe(
      cleanup,
      `state_dir: DIR/state
log_file: DIR/health.log
checks:
  - { name: disk, type: disk, path: / }
log_sources: [DIR/app/*.log]
serve:
  interval: 30s
  token: "${TOKEN}"
  access_log: DIR/access/serve.log
`,
    );
    // The files are written after start: the API lists log_sources on every request.
    logs = join(serve.dir, 'app');
    mkdirSync(logs);
    const now = Date.now();
    const stamp = (msAgo: number) => localStamp(new Date(now - msAgo));
    writeFileSync(
      join(logs, 'django.log'),
      [
        `${stamp(3 * 3_600_000)} ERROR old failure`,
        `${stamp(10 * 60_000)} INFO request ok`,
        `${stamp(5 * 60_000)} ERROR cannot reach postgres://app:${DB_PASSWORD}@db:5432/app`,
        `${stamp(60_000)} CRITICAL disk full`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(logs, 'celery.log'), `${stamp(2 * 60_000)} ERROR task failed\n`);
    writeFileSync(join(logs, 'django.log.1'), `${stamp(2 * 86_400_000)} INFO rotated\n`);
    const old = (now - 10 * 86_400_000) / 1000;
    utimesSync(join(logs, 'django.log.1'), old, old);
    writeFileSync(join(serve.dir, 'secret.txt'), `password=${DB_PASSWORD}\n`);
    symlinkSync(join(serve.dir, 'secret.txt'), join(logs, 'sneaky.log'));
  });

  test('without the token 401 (with a Bearer challenge), with a wrong one 403; neither reads a file', async () => {
    const none = await get(`${serve.base}/api/logs/summary/`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate')!, /^Bearer /);
    const basic = await get(`${serve.base}/api/logs/summary/`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(basic.status, 401);
    const wrong = await get(`${serve.base}/api/logs/summary/`, {
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    assert.equal(wrong.status, 403);
    for (const answer of [none, basic, wrong]) assert.doesNotMatch(answer.text, /django|celery/);
  });

  test('summary lists the live logs with their rotated copies; a symlink leading out is left alone', async () => {
    const answer = await get(`${serve.base}/api/logs/summary`, { headers: auth });
    assert.equal(answer.status, 200);
    const body = answer.json();
    const paths = body.files.map((f: { path: string }) => f.path);
    assert.deepEqual(paths, [join(logs, 'celery.log'), join(logs, 'django.log')]);
    const django = body.files.find((f: { path: string }) => f.path.endsWith('django.log'));
    assert.equal(django.lines, 4);
    assert.equal(django.rotated_count, 1);
    assert.ok(body.refused.some((r: { path: string }) => r.path.endsWith('sneaky.log')));
  });

  test('errors?hours=1 has the recent ERROR/CRITICAL lines, newest last, passwords masked', async () => {
    const answer = await get(`${serve.base}/api/logs/errors/?hours=1`, { headers: auth });
    assert.equal(answer.status, 200);
    const body = answer.json();
    assert.equal(body.hours, 1);
    assert.deepEqual(
      body.entries.map((e: { text: string }) => e.text.replace(/^\S+ \S+ /, '')),
      ['ERROR cannot reach postgres://app:***@db:5432/app', 'ERROR task failed', 'CRITICAL disk full'],
    );
    assert.ok(!answer.text.includes(DB_PASSWORD));
    const bad = await get(`${serve.base}/api/logs/errors/?hours=-1`, { headers: auth });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error, /^hours: /);
  });

  test('file/NAME?lines=N tails a listed file, masked; names outside log_sources and path tricks are 404', async () => {
    const tail = await get(`${serve.base}/api/logs/file/django.log/?lines=2`, { headers: auth });
    assert.equal(tail.status, 200);
    const body = tail.json();
    assert.equal(body.path, join(logs, 'django.log'));
    assert.equal(body.text.length, 2);
    assert.match(body.text[0], /postgres:\/\/app:\*\*\*@db/);
    assert.match(body.text[1], /CRITICAL disk full$/);
    const byPath = await get(`${serve.base}/api/logs/file/${encodeURIComponent(join(logs, 'celery.log'))}`, {
      headers: auth,
    });
    assert.equal(byPath.status, 200);
    for (const name of [
      'sneaky.log',
      'secret.txt',
      '..%2Fsecret.txt',
      '%2Fetc%2Fpasswd',
      '..',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'django.log%00',
    ]) {
      const answer = await get(`${serve.base}/api/logs/file/${name}/`, { headers: auth });
      assert.equal(answer.status, 404, name);
      assert.ok(!answer.text.includes(DB_PASSWORD) && !answer.text.includes('root:'), name);
    }
  });

  test('analytics counts errors per hour (every hour listed) and per source', async () => {
    const answer = await get(`${serve.base}/api/logs/analytics/?hours=6`, { headers: auth });
    assert.equal(answer.status, 200);
    const body = answer.json();
    assert.equal(body.total, 4);
    assert.ok(body.per_hour.length === 6 || body.per_hour.length === 7);
    assert.equal(
      body.per_hour.reduce((sum: number, h: { errors: number }) => sum + h.errors, 0),
      4,
    );
    assert.deepEqual(body.per_source, [
      { file: join(logs, 'django.log'), errors: 3 },
      { file: join(logs, 'celery.log'), errors: 1 },
    ]);
  });

  test('DELETE cleanup?days=7 removes the old rotated copy only; GET on it is 405', async () => {
    const get405 = await get(`${serve.base}/api/logs/cleanup/?days=7`, { headers: auth });
    assert.equal(get405.status, 405);
    const dry = await get(`${serve.base}/api/logs/cleanup/?days=7&dry_run=1`, { method: 'DELETE', headers: auth });
    assert.equal(dry.status, 200);
    assert.ok(existsSync(join(logs, 'django.log.1')));
    const answer = await get(`${serve.base}/api/logs/cleanup/?days=7`, { method: 'DELETE', headers: auth });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.json().deleted.map((f: { path: string }) => f.path),
      [join(logs, 'django.log.1')],
    );
    assert.ok(!existsSync(join(logs, 'django.log.1')));
    assert.ok(existsSync(join(logs, 'django.log')) && existsSync(join(serve.dir, 'secret.txt')));
  });

  test('a log line that quotes the token itself is answered with the token masked', async () => {
    writeFileSync(join(logs, 'leak.log'), `${localStamp(new Date())} ERROR client sent ${TOKEN} as its key\n`);
    for (const path of ['/api/logs/file/leak.log/', '/api/logs/errors/?hours=1']) {
      const answer = await get(serve.base + path, { headers: auth });
      assert.equal(answer.status, 200);
      assert.ok(answer.text.includes('as its key'), answer.text);
      assert.ok(!answer.text.includes(TOKEN), path);
    }
  });

  test('past its burst the log API answers 429 with Retry-After, the health API is not limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await get(`${serve.base}/api/logs/summary/`, { headers: auth })).status);
    const limited = await get(`${serve.base}/api/logs/summary/`);
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.equal(limited.status, 429, 'guesses without a token are limited too');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await get(`${serve.base}/api/health/live/`)).status, 200);
  });
});

describe('serve without a token', () => {
  test('the log API is off and says how to turn it on', async (t) => {
    const serve = await startServe(
      t,
      `state_dir: DIR/state\nchecks: [{ name: disk, type: disk, path: / }]\nlog_sources: [/var/log/*.log]\nserve: { access_log: DIR/serve.log }\n`,
    );
    for (const path of ['/api/logs/summary/', '/api/logs/file/syslog/']) {
      const answer = await get(serve.base + path, { headers: { authorization: 'Bearer anything-anything-anything' } });
      assert.equal(answer.status, 404);
      assert.match(answer.json().error, /log API is off: set serve\.token or serve\.token_file/);
    }
  });
});
