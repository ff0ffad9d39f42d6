// The `redis` check against hostile servers (real processes, test/faults/peers/redis.mjs): each attack ends in a level
// with one line, within the check's timeout, and the main thread keeps turning while it lasts.
import { before, describe, test } from 'node:test';
import { assertAttack, HOSTILE_TIMEOUT_MS } from '../helpers/hostile-run.js';
import { warmProbeWorker } from '../helpers/probe-warmup.js';

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
      const check = (port: number) =>
        `  - { name: cache, type: redis, url: "redis://:Pw-1@127.0.0.1:${port}/0", timeout: ${HOSTILE_TIMEOUT_MS}ms }\n`;
      await assertAttack('redis', attack, check, message);
    });
  }
});
