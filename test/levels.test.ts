// Levels (docs/reference.md#levels): the order OK < UNKNOWN < WARNING < CRITICAL, status words, and Nagios exit codes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exitCode, LEVELS, levelFromExitCode, statusWord, worst, type Level } from '../src/levels.js';

describe('levels', () => {
  test('the worst present wins, ordered OK < UNKNOWN < WARNING < CRITICAL', () => {
    assert.equal(worst([]), 'OK');
    assert.equal(worst(['OK', 'OK']), 'OK');
    assert.equal(worst(['OK', 'UNKNOWN']), 'UNKNOWN');
    assert.equal(worst(['UNKNOWN', 'WARNING', 'OK']), 'WARNING');
    assert.equal(worst(['WARNING', 'CRITICAL', 'UNKNOWN']), 'CRITICAL');
    assert.equal(worst(new Set<Level>(['CRITICAL', 'OK'])), 'CRITICAL');
  });

  test('status words as HTTP health endpoints use them', () => {
    assert.deepEqual(
      LEVELS.map((level) => [level, statusWord(level)]),
      [
        ['OK', 'healthy'],
        ['WARNING', 'degraded'],
        ['CRITICAL', 'unhealthy'],
        ['UNKNOWN', 'unknown'],
      ],
    );
  });

  test('exit codes follow the Nagios plugin convention, both ways', () => {
    assert.deepEqual(LEVELS.map(exitCode), [0, 1, 2, 3]);
    assert.deepEqual([0, 1, 2, 3].map(levelFromExitCode), ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']);
    for (const other of [4, -1, 127, 255, null, undefined]) assert.equal(levelFromExitCode(other), undefined);
  });
});
