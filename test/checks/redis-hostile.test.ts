// The `redis` check against hostile servers (real processes, test/faults/peers/redis.mjs): each attack ends in a level
// with one line, within the check's timeout, and the main thread keeps turning while it lasts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startPeer } from '../faults/peers/start-peer.js';
import { isOneLine, runHostile } from '../helpers/hostile-run.js';
import { warmProbeWorker } from '../helpers/probe-warmup.js';

// Generous for a 2-core host shared with other test files: a check first starts its worker thread (docs/checks-timing.md).
const TIMEOUT_MS = 6000;
// What a check may take past its timeout: the engine decides at the timeout; this is only scheduling on a busy box.
// The stall bound is as loose: a client spinning on the main thread (as before the probe worker) stalls it for ever.
const GRACE_MS = 2000;

const ATTACKS: [attack: string, message: RegExp][] = [
  ['malformed', /^redis: peer sent a malformed message \(Unknown RESP type 63 "\?"\)$/],
  ['flood', /^redis: peer sent more than 1 MiB without a complete answer/],
  ['huge-bulk', /^redis: peer sent more than 1 MiB without a complete answer/],
  ['silent', /^no answer within 6s \(timeout\)$/],
  ['drip', /^no answer within 6s \(timeout\)$/],
];

describe('redis check against hostile servers', () => {
  before(async () => {
    await warmProbeWorker();
  });

  for (const [attack, message] of ATTACKS) {
    test(`${attack}: CRITICAL with one line, within the timeout, the main thread never stalls`, async () => {
      const peer = await startPeer('redis', attack);
      try {
        const run = await runHostile(
          `  - { name: cache, type: redis, url: "redis://:Pw-1@127.0.0.1:${peer.port}/0", timeout: ${TIMEOUT_MS}ms }\n`,
        );
        const result = run.results[0]!;
        assert.equal(result.level, 'CRITICAL', result.message);
        assert.match(result.message, message, `${result.level}: ${result.logMessage}`);
        assert.ok(isOneLine(result.message) && isOneLine(result.logMessage ?? ''), result.logMessage);
        assert.ok(run.tookMs < TIMEOUT_MS + GRACE_MS, `took ${run.tookMs} ms`);
        assert.ok(run.longestStallMs < 1000, `the main thread stalled ${run.longestStallMs} ms`);
      } finally {
        await peer.close();
      }
    });
  }
});
