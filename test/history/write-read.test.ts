// Run history on disk: one line per run in day files, torn lines skipped, rotation by size, pruning by age.
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { historyDir } from '../../src/history/files.js';
import { decodeRun, encodeRun } from '../../src/history/line.js';
import { readHistory } from '../../src/history/read.js';
import { appendHistory } from '../../src/history/write.js';
import { DAY, MINUTE, resultOf, writeRuns } from '../helpers/history.js';

const NOON = Date.UTC(2025, 11, 6, 12, 0);

describe('history files', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nn-history-'));
    dir = historyDir(join(root, 'state'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('one compact JSON line per run in a file per UTC day, mode 0640, read back with every field', () => {
    writeRuns(join(root, 'state'), NOON, 5 * MINUTE, [
      {
        nginx: 'OK',
        api: { level: 'CRITICAL', message: 'HTTP 502 Bad Gateway', ms: 35.2 },
        disk: { level: 'WARNING', message: '83.1% used', metrics: { '/': 83.1 } },
      },
      { nginx: 'OK', api: { level: 'OK', message: 'HTTP 200 OK', ms: 4.1 }, disk: 'OK' },
    ]);
    assert.deepEqual(readdirSync(dir), ['2025-12-06.jsonl']);
    const file = join(dir, '2025-12-06.jsonl');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.equal(
      lines[0],
      `{"t":${NOON / 1000},"c":{"nginx":["O",null,"nginx is ok"],"api":["C",35.2,"HTTP 502 Bad Gateway"],"disk":["W",null,"83.1% used",{"/":83.1}]}}`,
    );
    const { runs, skipped, files } = readHistory(dir, { fromMs: NOON - DAY, toMs: NOON + DAY });
    assert.equal(files, 1);
    assert.equal(skipped, 0);
    assert.deepEqual(
      runs.map((run) => run.t),
      [NOON / 1000, NOON / 1000 + 300],
    );
    assert.deepEqual(runs[1]!.c.api, ['O', 4.1, 'HTTP 200 OK']);
  });

  test('runs across midnight go to two day files and are read back in order; the window is inclusive', () => {
    const start = Date.UTC(2025, 11, 6, 23, 50);
    const times = writeRuns(join(root, 'state'), start, 5 * MINUTE, [
      { a: 'OK' },
      { a: 'OK' },
      { a: 'CRITICAL' },
      { a: 'OK' },
    ]);
    assert.deepEqual(readdirSync(dir).sort(), ['2025-12-06.jsonl', '2025-12-07.jsonl']);
    const all = readHistory(dir, { fromMs: start, toMs: start + DAY });
    assert.deepEqual(
      all.runs.map((run) => run.t * 1000),
      times,
    );
    const window = readHistory(dir, { fromMs: times[1]!, toMs: times[2]! });
    assert.deepEqual(
      window.runs.map((run) => run.t * 1000),
      [times[1], times[2]],
    );
  });

  test('a torn last line (power cut mid-write) is skipped and counted, and the next run starts on a fresh line', () => {
    writeRuns(join(root, 'state'), NOON, 5 * MINUTE, [{ a: 'OK' }, { a: 'OK' }]);
    const file = join(dir, '2025-12-06.jsonl');
    const torn = encodeRun(new Date(NOON + 10 * MINUTE), [resultOf('a', 'CRITICAL')]).slice(0, 25);
    appendFileSync(file, torn);
    assert.equal(readHistory(dir, { fromMs: NOON, toMs: NOON + DAY }).skipped, 1);

    writeRuns(join(root, 'state'), NOON + 15 * MINUTE, 5 * MINUTE, [{ a: 'WARNING' }]);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[2], torn);
    assert.equal(decodeRun(lines[3]!)!.c.a![0], 'W');
    const read = readHistory(dir, { fromMs: NOON, toMs: NOON + DAY });
    assert.equal(read.skipped, 1);
    assert.deepEqual(
      read.runs.map((run) => run.c.a![0]),
      ['O', 'O', 'W'],
    );
  });

  test('garbage, blank lines and foreign JSON are skipped, never fatal', () => {
    writeRuns(join(root, 'state'), NOON, 5 * MINUTE, [{ a: 'OK' }]);
    appendFileSync(
      join(dir, '2025-12-06.jsonl'),
      '\n\nnot json at all\n{"t":"soon","c":{}}\n[1,2]\n{"t":1765022700,"c":{"a":["?",1,"x"],"b":"weird"}}\n',
    );
    writeRuns(join(root, 'state'), NOON + 10 * MINUTE, 5 * MINUTE, [{ a: 'CRITICAL' }]);
    const read = readHistory(dir, { fromMs: NOON, toMs: NOON + DAY });
    assert.equal(read.skipped, 3);
    assert.deepEqual(
      read.runs.map((run) => run.c.a?.[0]),
      ['O', '?', 'C'],
    );
  });

  test('a line keeps metrics but not a time datum that repeats the response time, and cuts a runaway message', () => {
    const api = {
      ...resultOf('api', { level: 'OK', message: 'x'.repeat(5000), ms: 35 }),
      perf: [{ label: 'api_time', value: 0.035, uom: 's' }],
    };
    const disk = {
      ...resultOf('disk', 'OK'),
      perf: [
        { label: '/', value: 41, uom: '%' },
        { label: '/srv', value: Number.NaN },
      ],
    };
    const run = decodeRun(encodeRun(new Date(NOON), [api, disk]))!;
    assert.equal(run.c.api!.length, 3);
    assert.equal(run.c.api![2].length, 200);
    assert.ok(run.c.api![2].endsWith('…'));
    assert.deepEqual(run.c.disk![3], { '/': 41 });
  });

  test('a missing history directory reads as no runs', () => {
    assert.deepEqual(readHistory(join(root, 'nowhere'), { fromMs: 0, toMs: NOON }), { runs: [], files: 0, skipped: 0 });
  });

  test('a day file past max_file_size is rotated into numbered parts, read back oldest first', () => {
    const line = (i: number) =>
      encodeRun(new Date(NOON + i * MINUTE), [resultOf('a', { level: 'OK', message: `run ${i}` })]);
    const size = Buffer.byteLength(line(0));
    for (let i = 0; i < 10; i++)
      appendHistory(dir, line(i), { nowMs: NOON + i * MINUTE, maxFileSize: size * 3, retentionMs: 90 * DAY });
    // 3 lines fit; the 4th write passes the limit and moves the file aside
    assert.deepEqual(readdirSync(dir).sort(), ['2025-12-06.1.jsonl', '2025-12-06.2.jsonl', '2025-12-06.jsonl']);
    assert.equal(readFileSync(join(dir, '2025-12-06.1.jsonl'), 'utf8').split('\n').length - 1, 4);
    const read = readHistory(dir, { fromMs: NOON, toMs: NOON + DAY });
    assert.deepEqual(
      read.runs.map((run) => run.c.a![2]),
      Array.from({ length: 10 }, (_, i) => `run ${i}`),
    );
  });

  test('days older than the retention are deleted when a new day starts; younger ones stay', () => {
    const first = Date.UTC(2025, 8, 1, 12, 0);
    for (let d = 0; d < 100; d += 3) writeRuns(join(root, 'state'), first + d * DAY, 0, [{ a: 'OK' }]);
    const before = readdirSync(dir).length;
    // day 100, retention 30 days: the first run of the day prunes every day that ended more than 30 days ago
    const now = first + 100 * DAY;
    appendHistory(dir, encodeRun(new Date(now), [resultOf('a', 'OK')]), {
      nowMs: now,
      maxFileSize: 1e6,
      retentionMs: 30 * DAY,
    });
    const left = readdirSync(dir).sort();
    assert.ok(left.length < before);
    // days 0, 3, …, 99 were written; day 69 (11-09) ended before now − 30 days, day 72 (11-12) did not
    assert.ok(!left.includes('2025-11-09.jsonl'));
    assert.equal(left[0], '2025-11-12.jsonl');
    assert.equal(left.at(-1), '2025-12-10.jsonl');
    assert.ok(left.every((name) => Date.parse(`${name.slice(0, 10)}T00:00:00Z`) + DAY > now - 30 * DAY));
    assert.ok(existsSync(join(dir, '2025-12-10.jsonl')));
  });

  test('history that cannot be written throws one line naming the file and the fix', () => {
    writeFileSync(join(root, 'state'), 'a file where the state directory should be');
    assert.throws(
      () =>
        appendHistory(dir, encodeRun(new Date(NOON), [resultOf('a', 'OK')]), {
          nowMs: NOON,
          maxFileSize: 1e6,
          retentionMs: DAY,
        }),
      (error: Error) => {
        assert.match(
          error.message,
          /^cannot append to .*history\/2025-12-06\.jsonl: ENOTDIR.*\(history lives in state_dir; make it writable/,
        );
        return true;
      },
    );
  });
});
