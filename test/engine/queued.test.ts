// queued_ms (src/engine/execute.ts): a check that waited for a free slot says how long, apart from its own time —
// real http checks against a local server that holds each request 150 ms, with fewer slots than checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runYaml } from '../helpers/check-run.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

let server: TestServer;
before(async () => {
  server = await startServer({ '/held': (_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 150) });
});
after(async () => {
  await server?.close();
});

describe('queueing time', () => {
  test('with concurrency 2, the checks past the first two wait for a slot: queued_ms says how long, response_time_ms does not hold it', async () => {
    const checks = Array.from(
      { length: 5 },
      (_, i) => `  - { name: c${i}, type: http, url: "${server.url('/held')}" }\n`,
    ).join('');
    const run = await runYaml(checks, 'concurrency: 2\n');
    const entry = (i: number) => run.report.services[`c${i}`]!;
    // the first two started at once: no queueing to report
    assert.equal(entry(0).queued_ms, undefined);
    assert.equal(entry(1).queued_ms, undefined);
    // c2 and c3 waited for one held request (~150 ms), c4 for two (~300 ms)
    for (const i of [2, 3, 4]) assert.equal(typeof entry(i).queued_ms, 'number', `c${i} has no queued_ms`);
    assert.ok((entry(2).queued_ms as number) >= 140, `c2 queued ${entry(2).queued_ms} ms`);
    assert.ok((entry(4).queued_ms as number) >= 280, `c4 queued ${entry(4).queued_ms} ms`);
    // c4's own time is one 150 ms hold, not the two holds it waited for before it
    assert.ok(
      entry(4).response_time_ms! < (entry(4).queued_ms as number),
      `c4 reported ${entry(4).response_time_ms} ms`,
    );
  });

  test('the same for checks that start programs, waiting for process_concurrency', async () => {
    const checks = Array.from(
      { length: 3 },
      (_, i) => `  - { name: p${i}, type: command, command: [sleep, "0.2"] }\n`,
    ).join('');
    const run = await runYaml(checks, 'process_concurrency: 1\n');
    assert.equal(run.report.services.p0!.queued_ms, undefined);
    assert.ok(
      (run.report.services.p1!.queued_ms as number) >= 190,
      `p1 queued ${run.report.services.p1!.queued_ms} ms`,
    );
    assert.ok(
      (run.report.services.p2!.queued_ms as number) >= 380,
      `p2 queued ${run.report.services.p2!.queued_ms} ms`,
    );
    // p2's time is its own 0.2 s sleep, not the two sleeps it waited for
    assert.ok(
      run.report.services.p2!.response_time_ms! < (run.report.services.p2!.queued_ms as number),
      'p2: its own wall time only',
    );
  });
});
