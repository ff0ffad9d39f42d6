// The `history:` config block: defaults, sizes and durations people write, and one clear line for a bad value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { parseSize } from '../../src/history/schema.js';
import { ConfigError } from '../../src/util/errors.js';

const parse = (yaml: string) => parseConfigText(`checks: []\n${yaml}`, 'health-check.yml', {});

describe('history config', () => {
  test('defaults: 90 days, 8 MiB per file, target 99.9 %', () => {
    assert.deepEqual(parse('').history, { retention: 90 * 86_400_000, max_file_size: 8 * 1024 * 1024, target: 99.9 });
  });

  test('sizes and durations as people write them', () => {
    assert.deepEqual(parse('history: { retention: 30d, max_file_size: 512KiB, target: 99.95 }\n').history, {
      retention: 30 * 86_400_000,
      max_file_size: 512 * 1024,
      target: 99.95,
    });
    assert.equal(parseSize('10MB'), 10_000_000);
    assert.equal(parseSize('2 GiB'), 2 * 1024 ** 3);
    assert.equal(parseSize(65536), 65536);
    assert.equal(parseSize('lots'), undefined);
  });

  test('bad values are refused with the key and the fix', () => {
    assert.throws(
      () => parse('history: { retention: 2h, max_file_size: huge, target: 120, keep: 1 }\n'),
      (error: ConfigError) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join('\n');
        assert.match(text, /history\.retention: must be at least 1d/);
        assert.match(
          text,
          /history\.max_file_size: "huge" is not a size of at least 4KiB: write it like 512KiB, 8MiB or 10MB/,
        );
        assert.match(text, /history\.target: must be at most 100/);
        assert.match(text, /history\.keep: unknown key "keep" \(valid keys: retention, max_file_size, target\)/);
        return true;
      },
    );
  });
});
