// The `log` check on real files: timestamp formats, the window, tracebacks, thresholds, big files, missing files.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import type { CheckResult } from '../../src/types.js';
import { runYaml } from '../helpers/check-run.js';

const MIN = 60_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Wall-clock fields of `d` in local time, or at a fixed UTC offset (minutes) when given. */
function wall(d: Date, offsetMin?: number) {
  if (offsetMin === undefined) {
    return {
      y: d.getFullYear(),
      mo: d.getMonth(),
      d: d.getDate(),
      h: d.getHours(),
      mi: d.getMinutes(),
      s: d.getSeconds(),
      dow: d.getDay(),
    };
  }
  const t = new Date(d.getTime() + offsetMin * MIN);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth(),
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    dow: t.getUTCDay(),
  };
}
const ymd = (w: ReturnType<typeof wall>, sep = '-') => `${w.y}${sep}${p2(w.mo + 1)}${sep}${p2(w.d)}`;
const hms = (w: ReturnType<typeof wall>) => `${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`;

/** Every format the check reads: a function that writes one log line stamped at `d` carrying `text`. */
const FORMATS: Record<string, (d: Date, text: string) => string> = {
  'this program': (d, t) => `[${ymd(wall(d))} ${hms(wall(d))}] ${t}`,
  'ISO 8601 UTC': (d, t) => `${d.toISOString()} ${t}`,
  'ISO 8601 with +09:00': (d, t) => `${ymd(wall(d, 540))}T${hms(wall(d, 540))}.250+09:00 ${t}`,
  'ISO 8601 with -0530': (d, t) => `${ymd(wall(d, -330))}T${hms(wall(d, -330))}-0530 ${t}`,
  'Python logging': (d, t) => `${ymd(wall(d))} ${hms(wall(d))},123 - app - ${t}`,
  Django: (d, t) => `[${ymd(wall(d))} ${hms(wall(d))},123] ${t}`,
  Celery: (d, t) => `[${ymd(wall(d))} ${hms(wall(d))},123: ${t}/MainProcess] task`,
  gunicorn: (d, t) => `[${ymd(wall(d, 540))} ${hms(wall(d, 540))} +0900] [4242] [${t}] worker`,
  'nginx/Apache access': (d, t) => {
    const w = wall(d, 540);
    return `203.0.113.9 - - [${p2(w.d)}/${MONTHS[w.mo]}/${w.y}:${hms(w)} +0900] "GET /${t} HTTP/1.1" 500 12 "-" "curl/8"`;
  },
  'nginx error': (d, t) => `${ymd(wall(d), '/')} ${hms(wall(d))} [error] 1234#0: *5 ${t}`,
  'Apache error': (d, t) => {
    const w = wall(d);
    return `[${DAYS[w.dow]} ${MONTHS[w.mo]} ${p2(w.d)} ${hms(w)}.123456 ${w.y}] [core:error] [pid 42] ${t}`;
  },
  'JSON lines': (d, t) => JSON.stringify({ level: 'error', time: d.toISOString(), msg: t }),
  syslog: (d, t) => {
    const w = wall(d);
    return `${MONTHS[w.mo]} ${String(w.d).padStart(2, ' ')} ${hms(w)} web-1 app[42]: ${t}`;
  },
};

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-logcheck-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function logFile(lines: string[], eol = '\n'): string {
  const path = join(dir, `app-${++fileNo}.log`);
  writeFileSync(path, lines.map((l) => l + eol).join(''));
  return path;
}

/** Runs one log check through the engine with a fixed `now`. */
async function runLog(fields: string, now = new Date()): Promise<CheckResult> {
  const config = parseConfigText(`checks:\n  - { name: applog, type: log, ${fields} }\n`, 'test.yml', {});
  const [result] = await executeChecks(config.checks, {
    concurrency: 1,
    deadlineMs: 30_000,
    now,
    thresholds: config.thresholds,
    previous: () => undefined,
  });
  return result!;
}

describe('log check: timestamp formats', () => {
  for (const [name, line] of Object.entries(FORMATS)) {
    test(`${name}: counts only the matching lines inside the window`, async () => {
      const now = new Date();
      const path = logFile([
        line(new Date(now.getTime() - 120 * MIN), 'ERROR old one'),
        line(new Date(now.getTime() - 30 * MIN), 'ERROR also old'),
        line(new Date(now.getTime() - 4 * MIN), 'ERROR recent'),
        line(new Date(now.getTime() - 3 * MIN), 'INFO fine'),
        line(new Date(now.getTime() - 1 * MIN), 'ERROR newest'),
      ]);
      const result = await runLog(`path: ${path}, pattern: ERROR, window: 5m, warning: 1, critical: 3`, now);
      assert.equal(result.details?.matches, 2, `${name}: ${result.message}`);
      assert.equal(result.level, 'WARNING');
      assert.equal(result.message, '2 lines matching /ERROR/ in the last 5m (warning at 1, critical at 3)');
    });
  }
});

describe('log check: entries, thresholds and files', () => {
  test('lines without a timestamp belong to the line above: a traceback counts once, at its header time', async () => {
    const now = new Date();
    const py = FORMATS['Python logging']!;
    const path = logFile([
      py(new Date(now.getTime() - 60 * MIN), 'ERROR old request failed'),
      'Traceback (most recent call last):',
      '  File "/srv/app/views.py", line 10, in get',
      'ValueError: old',
      py(new Date(now.getTime() - 2 * MIN), 'ERROR request failed'),
      'Traceback (most recent call last):',
      '  File "/srv/app/views.py", line 10, in get',
      '    raise ValueError("Traceback inside")',
      'ValueError: boom',
      py(new Date(now.getTime() - 1 * MIN), 'INFO all good'),
    ]);
    const result = await runLog(`path: ${path}, pattern: Traceback, window: 10m`, now);
    assert.equal(result.details?.matches, 1);
    assert.equal(result.level, 'CRITICAL');
    assert.equal(result.details?.latest_match, 'Traceback (most recent call last):');
  });

  test('a date inside a traceback line is not taken for an entry of its own', async () => {
    const now = new Date();
    const py = FORMATS['Python logging']!;
    const path = logFile([
      py(new Date(now.getTime() - 3 * MIN), 'ERROR import failed'),
      py(new Date(now.getTime() - 2 * MIN), 'ERROR import failed again'),
      'Traceback (most recent call last):',
      '  File "/srv/app/importer.py", line 42, in run',
      'ValueError: row dated 2019-03-01T00:00:00Z is too old',
    ]);
    const result = await runLog(`path: ${path}, pattern: ERROR, window: 5m, critical: 5`, now);
    assert.equal(result.details?.matches, 2);
    assert.equal(result.level, 'OK');
  });

  test('with neither warning nor critical set, one match is CRITICAL; none is OK', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const hit = logFile([own(new Date(now.getTime() - MIN), 'ERROR: django-api: HTTP 502')]);
    const miss = logFile([own(new Date(now.getTime() - MIN), 'SUCCESS: django-api: HTTP 200')]);
    const bad = await runLog(`path: ${hit}, pattern: "ERROR:"`, now);
    assert.equal(bad.level, 'CRITICAL');
    assert.equal(bad.message, '1 line matching /ERROR:/ in the last 5m (critical at 1)');
    const good = await runLog(`path: ${miss}, pattern: "ERROR:"`, now);
    assert.equal(good.level, 'OK');
    assert.equal(good.message, 'no lines matching /ERROR:/ in the last 5m');
    assert.deepEqual(good.perf, [{ label: 'applog_matches', value: 0, min: 0, crit: '0' }]);
  });

  test('warning and critical counts decide the level', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const withErrors = (n: number) =>
      logFile(Array.from({ length: n }, (_, i) => own(new Date(now.getTime() - (i + 1) * 1000), 'ERROR x')));
    const levelFor = async (n: number) =>
      (await runLog(`path: ${withErrors(n)}, pattern: ERROR, warning: 2, critical: 5`, now)).level;
    assert.equal(await levelFor(1), 'OK');
    assert.equal(await levelFor(2), 'WARNING');
    assert.equal(await levelFor(4), 'WARNING');
    assert.equal(await levelFor(5), 'CRITICAL');
    const result = await runLog(`path: ${withErrors(3)}, pattern: ERROR, warning: 2, critical: 5`, now);
    assert.deepEqual(result.perf, [{ label: 'applog_matches', value: 3, min: 0, warn: '1', crit: '4' }]);
  });

  test('ignore_case matches regardless of case; the pattern is a regular expression', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const path = logFile([own(now, 'Error: a'), own(now, 'CRITICAL: b'), own(now, 'info: c')]);
    assert.equal(
      (await runLog(`path: ${path}, pattern: "^\\\\S+ \\\\S+ (error|critical)", ignore_case: true`, now)).details
        ?.matches,
      2,
    );
    assert.equal((await runLog(`path: ${path}, pattern: "error"`, now)).details?.matches, 0);
  });

  test('lines ending in CRLF and lines stamped slightly in the future still count', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const path = logFile(
      [own(new Date(now.getTime() - MIN), 'ERROR a'), own(new Date(now.getTime() + 30_000), 'ERROR b')],
      '\r\n',
    );
    assert.equal((await runLog(`path: ${path}, pattern: "ERROR b$"`, now)).details?.matches, 1);
    assert.equal((await runLog(`path: ${path}, pattern: ERROR`, now)).details?.matches, 2);
  });

  test('a big file with matches far back counts exactly what is inside the window, across chunk boundaries and long lines', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const path = join(dir, 'big.log');
    // 20 MB of old matching lines: the scan must stop at the first one older than the window.
    const old = own(new Date(now.getTime() - 3 * 3600_000), `ERROR old ${'x'.repeat(200)}`) + '\n';
    const block = old.repeat(Math.ceil(1_000_000 / old.length));
    writeFileSync(path, '');
    for (let i = 0; i < 20; i++) appendFileSync(path, block);
    // Then recent lines of varied length, some longer than a read chunk, every third one matching.
    const recent: string[] = [];
    let expected = 0;
    for (let i = 0; i < 3000; i++) {
      const match = i % 3 === 0;
      if (match) expected++;
      const filler = 'y'.repeat(i % 500 === 0 ? 70_000 : (i * 37) % 300);
      recent.push(own(new Date(now.getTime() - 4 * MIN + i * 50), `${match ? 'ERROR' : 'INFO'} ${filler}`));
      if (i % 100 === 0) recent.push('  continuation line with ERROR in it');
    }
    appendFileSync(path, recent.join('\n') + '\n');
    const result = await runLog(`path: ${path}, pattern: "^\\\\S+ \\\\S+ ERROR", window: 5m`, now);
    assert.equal(result.details?.matches, expected);
    // The continuation lines belong to their header: counting by "ERROR" anywhere adds the INFO entries above them.
    const anywhere = await runLog(`path: ${path}, pattern: ERROR, window: 5m`, now);
    const infoHeadersWithErrorBelow = Array.from({ length: 30 }, (_, k) => k * 100).filter((i) => i % 3 !== 0).length;
    assert.equal(anywhere.details?.matches, expected + infoHeadersWithErrorBelow);
  });

  test('a file not written since the window began is OK without matches', async () => {
    const now = new Date(Date.now() + 3600_000);
    const own = FORMATS['this program']!;
    const path = logFile([own(new Date(), 'ERROR an hour before "now"')]);
    const result = await runLog(`path: ${path}, pattern: ERROR, window: 5m`, now);
    assert.equal(result.level, 'OK');
    assert.equal(result.details?.matches, 0);
  });

  test('an empty file is OK; a file with no timestamp it can read is UNKNOWN and says why', async () => {
    const empty = logFile([]);
    writeFileSync(empty, '');
    assert.equal((await runLog(`path: ${empty}, pattern: ERROR`)).level, 'OK');
    const plain = logFile(['ERROR no time here', 'ERROR nor here']);
    const result = await runLog(`path: ${plain}, pattern: ERROR`);
    assert.equal(result.level, 'UNKNOWN');
    assert.equal(result.message, `no line with a timestamp in a known format in ${plain}`);
  });

  test('a missing file or a directory is UNKNOWN, naming the path', async () => {
    const missing = join(dir, 'nope', 'app.log');
    const result = await runLog(`path: ${missing}, pattern: ERROR`);
    assert.equal(result.level, 'UNKNOWN');
    assert.equal(result.message, `log file not found: ${missing}`);
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    assert.equal((await runLog(`path: ${sub}, pattern: ERROR`)).level, 'UNKNOWN');
  });

  test('the log line and JSON show the newest matching line, with secrets in it masked', async () => {
    const now = new Date();
    const own = FORMATS['this program']!;
    const path = logFile([
      own(new Date(now.getTime() - 2 * MIN), 'ERROR cannot connect to postgres://app:Hunter2-Db-Pass@db:5432/app'),
      own(new Date(now.getTime() - 1 * MIN), 'ERROR token=Tok-Sekrit-123 rejected'),
    ]);
    const run = await runYaml(
      `  - { name: applog, type: log, path: ${path}, pattern: ERROR, warning: 1, critical: 5 }\n`,
    );
    const entry = run.report.services.applog!;
    assert.equal(entry.level, 'WARNING');
    assert.equal(entry.matches, 2);
    assert.equal(entry.path, path);
    assert.match(String(entry.latest_match), /ERROR token=\*\*\* rejected$/);
    assert.match(
      run.log,
      new RegExp(
        `WARNING: applog: 2 lines matching /ERROR/ in the last 5m \\(warning at 1, critical at 5\\) in ${path}; latest: `,
      ),
    );
    assert.ok(!run.everything.includes('Tok-Sekrit-123') && !run.everything.includes('Hunter2-Db-Pass'));
  });

  test('bad settings are refused by the config check, naming the key', () => {
    const cases: [string, RegExp][] = [
      ['path: /var/log/app.log, pattern: "ERROR("', /checks\[0\]\.pattern: is not a valid regular expression/],
      ['path: logs/app.log, pattern: ERROR', /checks\[0\]\.path: must be an absolute path/],
      ['path: /var/log/app.log, pattern: ERROR, window: 5', /checks\[0\]\.window: 5 has no unit/],
      ['path: /var/log/app.log, pattern: ERROR, critical: 0', /checks\[0\]\.critical/],
    ];
    for (const [fields, expected] of cases) {
      assert.throws(
        () => parseConfigText(`checks:\n  - { name: l, type: log, ${fields} }\n`, 'cfg.yml', {}),
        (error: Error) => expected.test(error.message),
      );
    }
  });
});
