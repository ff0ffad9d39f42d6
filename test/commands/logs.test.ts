// `logs summary|errors|cleanup` on a temp tree with live logs, rotated copies (plain, gzip, dated), young copies, symlinks
// out of the tree, `..` paths, hard links and directories with rotated names: nothing is lost that should stay.
import assert from 'node:assert/strict';
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, beforeEach, describe, test } from 'node:test';
import type { CommandIO } from '../../src/commands/io.js';
import { logsCleanupCommand, logsErrorsCommand, logsSummaryCommand, type LogsFlags } from '../../src/commands/logs.js';
import { lineTime } from '../../src/logs/line-time.js';
import { isRotatedCopyOf, liveNameOf } from '../../src/logs/rotation.js';
import { UsageError } from '../../src/util/errors.js';
import { localStamp } from '../../src/util/time.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

const MIN = 60_000;
const DAY = 86_400_000;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Tree {
  root: string;
  config: string;
  now: number;
}

/** Write `path` with `text` (gzip when the name says so) and set its mtime `ageMs` ago. */
function file(path: string, text: string, ageMs: number, now: number): void {
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
  const when = new Date(now - ageMs);
  utimesSync(path, when, when);
}
const at = (now: number, minutesAgo: number) => localStamp(new Date(now - minutesAgo * MIN));

function buildTree(): Tree {
  const root = mkdtempSync(join(tmpdir(), 'nn-logs-'));
  dirs.push(root);
  const now = Date.now();
  for (const d of ['logs', 'logs2', 'outside', 'orphans']) mkdirSync(join(root, d));
  const logs = join(root, 'logs');

  // Live logs: Python-style, with a traceback, and an nginx-style error log.
  file(
    join(logs, 'app.log'),
    [
      `[${at(now, 180)}] ERROR: three hours ago, outside the window`,
      `[${at(now, 20)}] INFO: request ok`,
      `[${at(now, 10)}] ERROR: payment failed for redis://user:hunter2@cache:6379/0`,
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in pay',
      'ValueError: card declined',
      `[${at(now, 5)}] WARNING: slow`,
      `[${at(now, 2)}] CRITICAL: database gone`,
      '',
    ].join('\n'),
    0,
    now,
  );
  const nginx = (minutes: number) => at(now, minutes).replace(/-/g, '/');
  file(
    join(logs, 'api.log'),
    `${nginx(8)} [error] 12#12: upstream timed out\n${nginx(3)} [notice] 12#12: reload\n`,
    0,
    now,
  );
  // Rotated copies written inside the last hour: read by `errors`, kept by cleanup (young).
  file(join(logs, 'api.log.1'), `${nginx(40)} [error] 12#12: connect() failed\n`, 30 * MIN, now);
  file(
    join(logs, 'api.log.2.gz'),
    `${new Date(now - 55 * MIN).toISOString()} ERROR compressed but recent\n`,
    50 * MIN,
    now,
  );
  // Old rotated copies of every naming style: the ones cleanup deletes.
  file(join(logs, 'app.log.1'), 'old one\n', 20 * DAY, now);
  file(join(logs, 'app.log.2.gz'), 'old two\n', 20 * DAY, now);
  file(join(logs, 'app.log-20251101'), 'dated\n', 20 * DAY, now);
  file(join(logs, 'app.log.2025-11-01'), 'dashed date\n', 20 * DAY, now);
  // A young rotated copy: kept.
  file(join(logs, 'app.log.3'), 'yesterday\n', 1 * DAY, now);
  // A rotated-looking symlink out of the tree, to an old file: neither the link nor its target may go.
  file(join(root, 'outside', 'precious.log.4'), 'precious\n', 30 * DAY, now);
  symlinkSync('../outside/precious.log.4', join(logs, 'app.log.4'));
  // A live-looking symlink out of the tree: not read, not touched.
  file(join(root, 'outside', 'worker.log'), `[${at(now, 1)}] ERROR: outside secret\n`, 0, now);
  symlinkSync('../outside/worker.log', join(logs, 'worker.log'));
  // A directory with a rotated name, and a file no pattern names.
  mkdirSync(join(logs, 'x.log.1'));
  file(join(logs, 'notes.txt'), 'keep\n', 40 * DAY, now);
  // Through `..` out of the tree: reached only by the pattern logs/*/../../outside/*.1
  file(join(root, 'outside', 'old.log.1'), 'outside rotated\n', 40 * DAY, now);

  // A quiet live log, untouched for a month, and a hard link to it with a rotated name: both stay.
  file(join(root, 'logs2', 'svc.log'), 'quiet\n', 30 * DAY, now);
  linkSync(join(root, 'logs2', 'svc.log'), join(root, 'logs2', 'svc.log.1'));

  // Rotated copies whose live log is gone, and a plain file, matched by `*`.
  file(join(root, 'orphans', 'gone.log.1'), 'gone 1\n', 10 * DAY, now);
  file(join(root, 'orphans', 'gone.log.2.gz'), 'gone 2\n', 10 * DAY, now);
  file(join(root, 'orphans', 'keep.me'), 'not rotated\n', 40 * DAY, now);

  const config = join(root, 'config.yml');
  const sources = [
    join(logs, '*.log'),
    // Written as is: path.join would fold the `..` away before the program ever saw it.
    `${logs}/../logs/api.log`,
    `${logs}/*/../../outside/*.1`,
    join(root, 'logs2', '*.log'),
    join(root, 'orphans', '*'),
    join(root, 'missing', '*.log'),
  ];
  writeFileSync(
    config,
    `log_file: ${join(root, 'health.log')}\nstate_dir: ${join(root, 'state')}\nlog_sources:\n${sources.map((s) => `  - ${JSON.stringify(s)}\n`).join('')}`,
  );
  return { root, config, now };
}

/** Every path under root with what it is: file content, link target, or directory. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) out.set(path, `link → ${readlinkSync(path)}`);
      else if (stats.isDirectory()) {
        out.set(path, 'dir');
        walk(path);
      } else out.set(path, `file ${readFileSync(path).toString('base64')}`);
    }
  };
  walk(root);
  return out;
}

function capture(): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    color: false,
    stdout: () => out,
    stderr: () => err,
  };
}
async function json<T>(command: (flags: LogsFlags, io: CommandIO) => Promise<number>, flags: LogsFlags): Promise<T> {
  const io = capture();
  assert.equal(await command({ json: true, ...flags }, io), 0, io.stderr());
  return JSON.parse(io.stdout()) as T;
}

const OLD_COPIES = (root: string) =>
  [
    'logs/app.log-20251101',
    'logs/app.log.1',
    'logs/app.log.2.gz',
    'logs/app.log.2025-11-01',
    'orphans/gone.log.1',
    'orphans/gone.log.2.gz',
  ].map((p) => join(root, p));

interface CleanupJson {
  dry_run: boolean;
  deleted: { path: string; size: number }[];
  kept: { path: string }[];
  refused: { path: string; reason: string }[];
  freed_bytes: number;
}

describe('logs cleanup', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = buildTree();
  });

  test('--dry-run lists exactly the old rotated copies and changes nothing', async () => {
    const before = snapshot(tree.root);
    const result = await json<CleanupJson>(logsCleanupCommand, { config: tree.config, days: '7', dryRun: true });
    assert.equal(result.dry_run, true);
    assert.deepEqual(result.deleted.map((f) => f.path).sort(), OLD_COPIES(tree.root).sort());
    assert.deepEqual(snapshot(tree.root), before);
  });

  test('deletes only old rotated copies: live logs, young copies, symlinks, their targets, hard links and the outside stay', async () => {
    const before = snapshot(tree.root);
    const result = await json<CleanupJson>(logsCleanupCommand, { config: tree.config, days: '7' });
    const deleted = OLD_COPIES(tree.root);
    assert.deepEqual(result.deleted.map((f) => f.path).sort(), [...deleted].sort());
    assert.equal(
      result.freed_bytes,
      result.deleted.reduce((sum, f) => sum + f.size, 0),
    );

    const expected = new Map(before);
    for (const path of deleted) expected.delete(path);
    assert.deepEqual(snapshot(tree.root), expected, 'everything else is byte for byte as it was');

    assert.deepEqual(
      result.kept.map((f) => f.path).sort(),
      ['logs/api.log.1', 'logs/api.log.2.gz', 'logs/app.log.3'].map((p) => join(tree.root, p)),
    );
    const refused = new Map(result.refused.map((r) => [r.path, r.reason]));
    assert.match(refused.get(join(tree.root, 'logs', 'app.log.4')) ?? '', /symbolic link/);
    assert.match(
      refused.get(join(tree.root, 'logs', 'worker.log')) ?? '',
      /leads outside .*logs \(to .*outside\/worker\.log\)/,
    );
    assert.match(refused.get(join(tree.root, 'logs2', 'svc.log.1')) ?? '', /hard link/);
    const dotdot = [...refused].find(([path]) => path.includes('..'));
    assert.ok(dotdot, "the `..` pattern's match is refused");
    assert.match(dotdot[1], /leads outside .*\/logs \(to .*\/outside\/old\.log\.1\)/);

    // A second cleanup has nothing left to do.
    const again = await json<CleanupJson>(logsCleanupCommand, { config: tree.config, days: '7' });
    assert.deepEqual(again.deleted, []);
  });

  test('--days decides the age: 15 keeps the ten-day-old orphans; --days must be a positive number', async () => {
    const result = await json<CleanupJson>(logsCleanupCommand, { config: tree.config, days: '15', dryRun: true });
    assert.deepEqual(
      result.deleted.map((f) => f.path).sort(),
      OLD_COPIES(tree.root)
        .filter((p) => !p.includes('orphans'))
        .sort(),
    );
    for (const days of ['0', '-1', 'week']) {
      await assert.rejects(
        logsCleanupCommand({ config: tree.config, days }, capture()),
        (error: Error) => error instanceof UsageError && /^--days: /.test(error.message),
      );
    }
  });

  test('the built binary: cleanup --dry-run in text says what it would delete and keeps everything', async () => {
    await ensureBuilt();
    const before = snapshot(tree.root);
    const run = await runCli(['logs', 'cleanup', '--dry-run', '--days', '7', '--config', tree.config]);
    assert.equal(run.code, 0, run.stderr);
    for (const path of OLD_COPIES(tree.root)) assert.ok(run.stdout.includes(`would delete ${path} (`), path);
    assert.match(run.stdout, /left alone: .*app\.log\.4: is a symbolic link/);
    assert.match(run.stdout, /dry run: would free \d+ B \(6 rotated copies older than 7 days\); kept 3 newer/);
    assert.deepEqual(snapshot(tree.root), before);
  });
});

describe('logs errors', () => {
  test('--hours 1: ERROR/CRITICAL/Traceback lines across live logs and recent rotated copies, merged by time, newest last', async () => {
    const tree = buildTree();
    interface ErrorsJson {
      count: number;
      entries: { time: string; file: string; line: number; text: string }[];
      files_read: string[];
    }
    const result = await json<ErrorsJson>(logsErrorsCommand, { config: tree.config, hours: '1' });
    const rel = (p: string) => p.slice(tree.root.length + 1);
    const expected = [
      ['logs/api.log.2.gz', 'ERROR compressed but recent'],
      ['logs/api.log.1', '[error] 12#12: connect() failed'],
      ['logs/app.log', 'ERROR: payment failed for redis://user:***@cache:6379/0'],
      ['logs/app.log', 'Traceback (most recent call last): … ValueError: card declined'],
      ['logs/api.log', '[error] 12#12: upstream timed out'],
      ['logs/app.log', 'CRITICAL: database gone'],
    ];
    assert.deepEqual(
      result.entries.map((e) => rel(e.file)),
      expected.map(([file]) => file),
    );
    result.entries.forEach((entry, i) => {
      assert.ok(entry.text.endsWith(expected[i]![1]!), `${entry.text} ends with ${expected[i]![1]}`);
    });
    const times = result.entries.map((e) => Date.parse(e.time));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'newest last',
    );
    assert.ok(!JSON.stringify(result).includes('hunter2'), 'secrets in log lines are masked');
    assert.ok(!JSON.stringify(result).includes('outside secret'), 'a symlinked log outside the sources is not read');
    assert.ok(!result.files_read.some((f) => f.includes('app.log.1')), 'old rotated copies are not read');

    // Four hours back brings the old line in, first.
    const wide = await json<ErrorsJson>(logsErrorsCommand, { config: tree.config, hours: '4' });
    assert.match(wide.entries[0]!.text, /three hours ago/);

    await assert.rejects(
      logsErrorsCommand({ config: tree.config, hours: 'x' }, capture()),
      /--hours: expected a number of hours above 0/,
    );
  });
});

describe('logs errors without timestamps', () => {
  test('error lines that cannot be placed in time are counted, not shown as recent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nn-logs-untimed-'));
    dirs.push(root);
    writeFileSync(join(root, 'plain.log'), 'starting\nERROR no time here\nFATAL neither\n');
    const config = join(root, 'c.yml');
    writeFileSync(config, `log_file: ${join(root, 'h.log')}\nlog_sources: [${join(root, '*.log')}]\n`);
    const result = await json<{ entries: unknown[]; untimed: { path: string; lines: number }[] }>(logsErrorsCommand, {
      config,
    });
    assert.deepEqual(result.entries, []);
    assert.deepEqual(result.untimed, [{ path: join(root, 'plain.log'), lines: 2 }]);
  });
});

describe('logs summary', () => {
  test('per live log: size, lines, last write and rotated copies; what was left alone and why', async () => {
    const tree = buildTree();
    interface SummaryJson {
      files: {
        path: string;
        live: boolean;
        size?: number;
        lines?: number;
        last_write?: string;
        rotated_count: number;
        rotated_bytes: number;
        rotated: { path: string }[];
      }[];
      refused: { path: string; reason: string }[];
      unmatched: { pattern: string; reason: string }[];
    }
    const result = await json<SummaryJson>(logsSummaryCommand, { config: tree.config });
    const byPath = new Map(result.files.map((f) => [f.path.slice(tree.root.length + 1), f]));
    assert.deepEqual(
      [...byPath.keys()],
      ['logs/api.log', 'logs/app.log', 'logs2/svc.log', 'orphans/gone.log', 'orphans/keep.me'],
    );

    const app = byPath.get('logs/app.log')!;
    const appText = readFileSync(join(tree.root, 'logs', 'app.log'), 'utf8');
    assert.equal(app.size, Buffer.byteLength(appText));
    assert.equal(app.lines, appText.split('\n').length - 1);
    assert.equal(app.rotated_count, 5);
    assert.deepEqual(
      app.rotated.map((r) => r.path.slice(tree.root.length + 1)),
      [
        'logs/app.log-20251101',
        'logs/app.log.1',
        'logs/app.log.2.gz',
        'logs/app.log.2025-11-01',
        'logs/app.log.3',
      ].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    );
    assert.equal(byPath.get('logs/api.log')!.rotated_count, 2);
    assert.equal(byPath.get('logs2/svc.log')!.rotated_count, 0, 'a hard link to the live log is not its rotated copy');
    const gone = byPath.get('orphans/gone.log')!;
    assert.equal(gone.live, false);
    assert.equal(gone.rotated_count, 2);
    assert.ok(Math.abs(Date.parse(app.last_write!) - tree.now) < 5_000);
    assert.deepEqual(
      result.unmatched.map((u) => u.reason),
      [`${join(tree.root, 'missing')} does not exist`],
    );

    const io = capture();
    await logsSummaryCommand({ config: tree.config }, io);
    assert.match(io.stdout(), /^FILE +SIZE +LINES +LAST WRITE +ROTATED\n/);
    assert.match(
      io.stdout(),
      /logs\/app\.log +\d+ B +8 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((just now|\d+s ago)\) +5 \([\d.]+ B\)\n/,
    );
    assert.match(io.stdout(), /orphans\/gone\.log +- +- +no live log +2 \(/);
  });

  test('no log_sources in the config: a usage error that says what to add', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nn-logs-none-'));
    dirs.push(root);
    const config = join(root, 'c.yml');
    writeFileSync(config, `log_file: ${join(root, 'h.log')}\n`);
    await assert.rejects(
      logsSummaryCommand({ config }, capture()),
      /^UsageError: no log_sources in .*c\.yml: add the application's logs, e\.g\. log_sources:/,
    );
  });
});

describe('rotated names and line times', () => {
  test('rotation suffixes: numbered, dated, compressed; live-looking names are not copies', () => {
    for (const name of [
      'app.log.1',
      'app.log.12.gz',
      'app.log-20251206',
      'app.log-20251206.gz',
      'app.log-20251206-1765000000',
      'app.log.2025-12-06',
      'app.log.gz',
      'app.log.3.xz',
    ]) {
      assert.equal(liveNameOf(name), 'app.log', name);
      assert.ok(isRotatedCopyOf(name, 'app.log'), name);
    }
    for (const name of ['app.log', 'app-1', 'app.2025-12-06.log', 'app.log.bak', 'app.log.old'])
      assert.equal(liveNameOf(name), undefined, name);
    assert.ok(!isRotatedCopyOf('app.log.1', 'app'), 'app.log.1 belongs to app.log, not app');
    assert.ok(!isRotatedCopyOf('app.logger', 'app.log'));
  });

  test('timestamps: ours, Python, ISO with zone, nginx, Apache, syslog; none in a traceback line', () => {
    const local = new Date(2025, 11, 6, 14, 35, 1).getTime();
    assert.equal(lineTime('[2025-12-06 14:35:01] ERROR: x'), local);
    assert.equal(lineTime('2025-12-06 14:35:01,250 ERROR x'), local + 250);
    assert.equal(lineTime('2025-12-06T05:35:01Z level=error'), Date.UTC(2025, 11, 6, 5, 35, 1));
    assert.equal(lineTime('[2025-12-06 14:35:01 +0900] [12] [ERROR] x'), Date.UTC(2025, 11, 6, 5, 35, 1));
    assert.equal(lineTime('2025/12/06 14:35:01 [error] 1#1: x'), local);
    assert.equal(
      lineTime('1.2.3.4 - - [06/Dec/2025:14:35:01 +0900] "GET / HTTP/1.1" 500'),
      Date.UTC(2025, 11, 6, 5, 35, 1),
    );
    assert.equal(lineTime('Dec  6 14:35:01 web-1 app[1]: ERROR x', new Date(2025, 11, 7)), local);
    assert.equal(
      lineTime('Dec 31 23:00:00 web-1 x', new Date(2026, 0, 1, 1)),
      new Date(2025, 11, 31, 23).getTime(),
      "last year's December",
    );
    assert.equal(lineTime('  File "app.py", line 3, in pay'), undefined);
  });
});
