// The warm-up stand-ins (src/probes/warm-up.ts) speak enough of each protocol for the real clients to finish a whole
// exchange, password or not: if a client upgrade changes its handshake, the warm-up would silently stop warming and
// the first exchange of every check would again be timed cold (docs/checks-timing.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { warmUpPostgres, warmUpRedis, warmUpTcp } from '../../src/probes/warm-up.js';

describe('warm-up stand-ins', () => {
  test('tcp: a connect to the stand-in completes', async () => {
    assert.equal(await warmUpTcp(), true);
  });

  test('redis: node-redis connects (HELLO with AUTH, SELECT) and gets PONG, with and without a password', async () => {
    const redis = await import('redis');
    assert.equal(await warmUpRedis(redis, 'redis://127.0.0.1:6379'), true);
    assert.equal(await warmUpRedis(redis, 'redis://monitor:Warm-Pass-1@db.example:6380/3'), true);
    assert.equal(await warmUpRedis(redis, 'rediss://:Warm-Pass-1@db.example:6380/0'), true);
  });

  test('postgres: pg logs in (SCRAM-SHA-256 with a password, trust without) and SELECT 1 answers', async () => {
    const { default: pg } = (await import('pg')) as unknown as { default: typeof import('pg') };
    assert.equal(await warmUpPostgres(pg, 'postgres://app:Warm-Pass-1@db.example:5432/app'), true);
    assert.equal(await warmUpPostgres(pg, 'postgres://app@db.example/app'), true);
  });
});
