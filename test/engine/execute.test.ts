// The engine (src/engine/execute.ts): concurrency cap, per-check timeouts, the run's deadline, throws turned into
// UNKNOWN, results in config order — with real checks against a local HTTP server that counts requests in flight.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import type { Config } from '../../src/config/schema.js';
import { never, overlapCounter, reply, startServer, type TestServer } from '../helpers/http-server.js';

let server: TestServer;
const counter = overlapCounter(120);

before(async () => {
  server = await startServer({
    // holds each request 120 ms, counting how many are open at once
    '/count': counter.handler,
    '/slow': (_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 200),
    '/ok': reply(200, 'ok'),
    '/hung': never,
  });
});
after(async () => {
  await server?.close();
});

function configOf(checks: string, top = ''): Config {
  return parseConfigText(`${top}checks:\n${checks}`, 'engine.yml', {});
}

async function execute(config: Config) {
  return executeChecks(config.checks, {
    concurrency: config.concurrency,
    deadlineMs: config.deadline,
    now: new Date(),
    thresholds: config.thresholds,
    previous: () => undefined,
  });
}

const http = (name: string, path: string, extra = '') =>
  `  - { name: ${name}, type: http, url: "${server.url(path)}"${extra} }\n`;

describe('executeChecks', () => {
  test('never runs more checks at once than the concurrency cap', async () => {
    counter.reset();
    const checks = Array.from({ length: 6 }, (_, i) => http(`c${i}`, '/count')).join('');
    const results = await execute(configOf(checks, 'concurrency: 2\n'));
    assert.equal(counter.max(), 2);
    assert.ok(results.every((r) => r.level === 'OK'));

    counter.reset();
    await execute(configOf(checks, 'concurrency: 32\n'));
    assert.ok(counter.max() > 2, `with room for all, they overlap (saw ${counter.max()})`);
  });

  test('results come back in config order, whatever order the checks finish in', async () => {
    const results = await execute(
      configOf(http('first-slow', '/slow') + http('second-fast', '/ok') + '  - { name: third-cpu, type: cpu }\n'),
    );
    assert.deepEqual(
      results.map((r) => r.name),
      ['first-slow', 'second-fast', 'third-cpu'],
    );
    assert.deepEqual(
      results.map((r) => r.type),
      ['http', 'http', 'cpu'],
    );
    assert.ok(results.every((r) => typeof r.durationMs === 'number'));
  });

  test('a check that throws becomes UNKNOWN with the reason; the others are unaffected', async () => {
    const results = await execute(
      configOf('  - { name: broken, type: disk, path: /no/such/mount/point }\n' + http('fine', '/ok')),
    );
    assert.equal(results[0]!.level, 'UNKNOWN');
    assert.match(results[0]!.message, /^check failed: ENOENT: no such file or directory/);
    assert.equal(results[1]!.level, 'OK');
  });

  test("a timeout gives the check type's timeout level: CRITICAL for a network check, UNKNOWN for a program", async () => {
    const results = await execute(
      configOf(
        http('hung', '/hung', ', timeout: 2s') +
          '  - { name: sleeper, type: command, command: [sleep, "30"], timeout: 2s }\n' +
          http('fine', '/ok', ', timeout: 2s'),
      ),
    );
    assert.equal(results[0]!.level, 'CRITICAL');
    assert.equal(results[0]!.message, 'no answer within 2s (timeout)');
    assert.equal(results[1]!.level, 'UNKNOWN');
    assert.equal(results[1]!.message, 'no answer within 2s (timeout)');
    assert.equal(results[2]!.level, 'OK');
  });

  test('the deadline stops checks still running and the ones not started yet', async () => {
    const results = await execute(
      configOf(
        http('hung-1', '/hung') +
          '  - { name: sleeper, type: command, command: [sleep, "30"] }\n' +
          http('hung-2', '/hung') +
          http('never-started', '/ok'),
        'timeout: 2s\ndeadline: 2s\nconcurrency: 2\n',
      ),
    );
    assert.deepEqual(
      results.map((r) => [r.name, r.level]),
      [
        ['hung-1', 'CRITICAL'],
        ['sleeper', 'UNKNOWN'],
        ['hung-2', 'UNKNOWN'],
        ['never-started', 'UNKNOWN'],
      ],
    );
    assert.equal(results[0]!.message, "no answer before the run's deadline (2s)");
    assert.equal(results[1]!.message, "no answer before the run's deadline (2s)");
    assert.equal(results[2]!.message, "not started: the run's deadline (2s) passed first");
  });

  test('hint and depends_on travel with the result', async () => {
    const results = await execute(
      configOf('  - { name: base, type: cpu }\n' + http('api', '/ok', ', hint: "restart the api", depends_on: [base]')),
    );
    assert.equal(results[1]!.hint, 'restart the api');
    assert.deepEqual(results[1]!.dependsOn, ['base']);
    assert.equal(results[0]!.hint, undefined);
  });

  test('no checks: no results, no waiting', async () => {
    assert.deepEqual(await execute(parseConfigText('checks: []\n', 'empty.yml', {})), []);
  });
});
