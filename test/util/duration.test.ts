// Durations in the config ("500ms", "10s", "5m", "1h", "2d") and their short human form in messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDuration, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  test('every unit the spec names', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration(' 2s '), 2000);
    assert.equal(parseDuration('0'), 0);
  });

  test('anything else is not a duration', () => {
    for (const bad of ['', '10', '10 s', '10sec', 's', '-5s', '1w', 'soon', '1h30m', '5M']) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });
});

describe('formatDuration', () => {
  test('short forms for messages', () => {
    assert.equal(formatDuration(400), '400ms');
    assert.equal(formatDuration(2000), '2s');
    assert.equal(formatDuration(1500), '1.5s', 'a 1500ms timeout never reads 2s');
    assert.equal(formatDuration(60_000), '1m');
    assert.equal(formatDuration(90_000), '1m 30s');
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(5_400_000), '1h 30m');
    assert.equal(formatDuration(86_400_000 * 2), '2d');
    assert.equal(formatDuration(86_400_000 + 3_600_000 * 4), '1d 4h');
  });

  test('a formatted duration parses back to the same value when it has one unit', () => {
    for (const ms of [500, 10_000, 300_000, 3_600_000, 172_800_000])
      assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});
