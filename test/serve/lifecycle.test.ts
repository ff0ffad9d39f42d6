// serve as a process: cycles coalesced whatever the request rate, SIGTERM/SIGINT obeyed at once even mid-cycle, and a
// bad config, token file or address refused with one line and exit 3, the token never echoed.
import assert from 'node:assert/strict';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { never, overlapCounter, startServer } from '../helpers/http-server.js';
import { get, startServe, tempDir } from './serve-process.js';

describe('serve: cycles', () => {
  test('hundreds of concurrent requests start no cycle: the app behind it sees one check per interval, never two at once', async (t) => {
    const counter = overlapCounter(200);
    const app = await startServer({ '/health': counter.handler });
    t.after(() => app.close());
    const serve = await startServe(
      t,
      `state_dir: DIR/state\nchecks: [{ name: app, type: http, url: "${app.url('/health')}" }]\nserve: { interval: 1s, access_log: DIR/serve.log }\n`,
    );
    const paths = ['/api/health/', '/api/health/detailed/', '/api/health/ready/', '/metrics', '/'];
    const started = performance.now();
    // 8 waves of 100 concurrent requests, however long they take on a busy machine; then one more interval passes.
    for (let wave = 0; wave < 8; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => get(serve.base + paths[i % paths.length]!)),
      );
      for (const answer of answers) assert.equal(answer.status, 200);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const elapsed = (performance.now() - started) / 1000;
    // One cycle at the start plus at most one per second since (the first answers waited for the first cycle).
    assert.ok(
      app.hits('/health') <= Math.ceil(elapsed) + 2,
      `${app.hits('/health')} checks in ${elapsed.toFixed(1)} s for 800 requests`,
    );
    assert.ok(app.hits('/health') >= 2, 'the cycles go on');
    assert.equal(counter.max(), 1);
  });
});

describe('serve: stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} mid-cycle, with a client connected, ends it with exit 0 within 2 s`, async (t) => {
      const app = await startServer({ '/hang': never });
      t.after(() => app.close());
      const serve = await startServe(
        t,
        `state_dir: DIR/state\ntimeout: 60s\ndeadline: 60s\nchecks:\n  - { name: disk, type: disk, path: / }\n  - { name: hangs, type: http, url: "${app.url('/hang')}" }\nserve: { access_log: DIR/serve.log }\n`,
      );
      // A request waiting for the first cycle (which hangs on the app) holds a connection open.
      const waiting = fetch(`${serve.base}/api/health/`).catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stopped = await serve.stop(signal);
      assert.equal(stopped.code, 0, serve.stderr());
      assert.ok(stopped.ms < 2000, `took ${Math.round(stopped.ms)} ms`);
      const answer = await waiting;
      assert.ok(answer instanceof Error || answer.status === 503);
    });
  }
});

describe('serve: refusals, exit 3 with one line', () => {
  const refuse = async (t: Parameters<typeof tempDir>[0], yaml: string, args: string[] = []) => {
    const dir = tempDir(t);
    const config = join(dir, 'config.yml');
    writeFileSync(config, yaml.replaceAll('DIR', dir));
    const result = await runCli(['serve', '--config', config, ...args]);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.equal(result.stdout, '');
    return { stderr: result.stderr, dir, config };
  };

  test('bad serve keys: listen, interval, a short token, token and token_file together, an unknown key', async (t) => {
    const { stderr, config } = await refuse(
      t,
      `serve:\n  listen: "localhost"\n  interval: 10ms\n  token: "short-tok"\n  token_file: /etc/x\n  acess_log: /tmp/x\n`,
    );
    assert.ok(stderr.includes(`${config}: serve.listen: "localhost" is not HOST:PORT`), stderr);
    assert.match(stderr, /serve\.interval: must be between 1s and 1h/);
    assert.match(stderr, /serve\.token: must be at least 16 characters/);
    assert.match(stderr, /serve\.acess_log: unknown key "acess_log" \(did you mean "access_log"\?\)/);
    assert.doesNotMatch(stderr, /short-tok/, 'the token is never echoed');
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    const both = await refuse(t, `serve:\n  token: "0123456789abcdef0123"\n  token_file: /etc/x\n`);
    assert.match(both.stderr, /serve: set token or token_file, not both/);
    assert.doesNotMatch(both.stderr, /0123456789abcdef0123/);
  });

  test('token_file: a symlink, a world-readable file and a missing one are refused, naming the fix', async (t) => {
    const dir = tempDir(t);
    const real = join(dir, 'token');
    writeFileSync(real, 'tok-0123456789abcdef-secret\n', { mode: 0o600 });
    symlinkSync(real, join(dir, 'link'));
    const link = await refuse(t, `serve: { token_file: ${join(dir, 'link')} }\n`);
    assert.match(link.stderr, /serve\.token_file: \S+\/link is a symbolic link/);
    chmodSync(real, 0o644);
    const open = await refuse(t, `serve: { token_file: ${real} }\n`);
    assert.match(open.stderr, /is readable by every user \(chmod o-r /);
    const missing = await refuse(t, `serve: { token_file: ${join(dir, 'nope')} }\n`);
    assert.match(missing.stderr, /serve\.token_file: \S+\/nope does not exist \(write one with: openssl rand -hex 32/);
    for (const text of [link.stderr, open.stderr, missing.stderr])
      assert.doesNotMatch(text, /tok-0123456789abcdef-secret/);
  });

  test('a token_file that is fine turns the log API on', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'token'), 'tok-0123456789abcdef-secret\n', { mode: 0o600 });
    const serve = await startServe(
      t,
      `checks: [{ name: disk, type: disk, path: / }]\nserve: { token_file: ${join(dir, 'token')}, access_log: DIR/serve.log }\n`,
    );
    const answer = await get(`${serve.base}/api/logs/summary/`, {
      headers: { authorization: 'Bearer tok-0123456789abcdef-secret' },
    });
    assert.equal(answer.status, 200);
  });

  test('--listen that is not HOST:PORT, and an address already in use', async (t) => {
    const bad = await refuse(t, 'checks: []\n', ['--listen', 'nowhere']);
    assert.match(bad.stderr, /^neuronova-health-check: --listen: "nowhere" is not HOST:PORT/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.after(() => taken.close());
    const port = (taken.address() as { port: number }).port;
    const busy = await refuse(t, `checks: []\nserve: { access_log: DIR/serve.log }\n`, [
      '--listen',
      `127.0.0.1:${port}`,
    ]);
    assert.equal(
      busy.stderr,
      `neuronova-health-check: cannot listen on 127.0.0.1:${port}: the address is in use (another serve?)\n`,
    );
  });
});
