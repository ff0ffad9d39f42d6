// The status page and history steps inside a run: an unwritable status_dir or state_dir is logged as ERROR and
// changes neither the checks' levels nor the other outputs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { runChecks } from '../../src/run.js';

const CHECKS = `checks:\n  - { name: ok-one, type: command, command: [sh, -c, 'echo fine'] }\n  - { name: bad-one, type: command, command: [sh, -c, 'echo "broken <b>"; exit 2'] }\n`;

describe('history and status page steps in a run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-status-step-'));
    writeFileSync(join(dir, 'a-file'), 'not a directory');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(stateDir: string, statusDir: string, only?: string[]) {
    const text = `log_file: ${join(dir, 'health.log')}\nstate_dir: ${stateDir}\noutputs: { status_dir: ${statusDir} }\n${CHECKS}`;
    const config = parseConfigText(text, join(dir, 'config.yml'), {});
    const problems: string[] = [];
    const outcome = await runChecks({
      config,
      alert: false,
      onProblem: (m) => problems.push(m),
      host: 'web-1',
      ...(only ? { only } : {}),
    });
    return { outcome, problems, log: readFileSync(join(dir, 'health.log'), 'utf8') };
  }

  test('every run appends one history line and rewrites both status files', async () => {
    await run(join(dir, 'state'), join(dir, 'www'));
    await run(join(dir, 'state'), join(dir, 'www'));
    const [file, ...more] = readdirSync(join(dir, 'state', 'history'));
    assert.equal(more.length, 0);
    const lines = readFileSync(join(dir, 'state', 'history', file!), 'utf8')
      .trimEnd()
      .split('\n');
    assert.equal(lines.length, 2);
    // a command check's time is its program's wall time (docs/checks-timing.md)
    const cells = JSON.parse(lines[1]!).c;
    assert.deepEqual(Object.keys(cells), ['ok-one', 'bad-one']);
    assert.deepEqual(
      [cells['ok-one'][0], cells['ok-one'][2], cells['bad-one'][0], cells['bad-one'][2]],
      ['O', 'fine', 'C', 'broken <b>'],
    );
    assert.ok(cells['ok-one'][1] > 0 && cells['bad-one'][1] > 0);
    assert.deepEqual(readdirSync(join(dir, 'www')).sort(), ['index.html', 'status.json'], 'no temp file left behind');
    const html = readFileSync(join(dir, 'www', 'index.html'), 'utf8');
    assert.match(html, /broken &lt;b&gt;/);
    assert.equal((html.match(/class="slot critical"/g) ?? []).length, 2);
  });

  test('a --only run records its checks in the history but leaves the status page, which describes the whole host, alone', async () => {
    await run(join(dir, 'state'), join(dir, 'www'), ['ok-one']);
    assert.ok(!existsSync(join(dir, 'www')));
    const [file] = readdirSync(join(dir, 'state', 'history'));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, 'state', 'history', file!), 'utf8')).c), ['ok-one']);
  });

  test('an unwritable status_dir is one ERROR line naming the file and the fix; levels and history are untouched', async () => {
    const { outcome, log } = await run(join(dir, 'state'), join(dir, 'a-file', 'www'));
    assert.equal(outcome.level, 'CRITICAL');
    assert.deepEqual(
      outcome.results.map((r) => r.level),
      ['OK', 'CRITICAL'],
    );
    assert.match(
      log,
      /ERROR: status page: cannot write .*a-file\/www\/status\.json: ENOTDIR.*\(make outputs\.status_dir writable by the user the run uses\)$/m,
    );
    assert.match(log, /INFO: Health check finished: CRITICAL/);
    assert.equal(readdirSync(join(dir, 'state', 'history')).length, 1);
  });

  test('without a writable state_dir there is no history, and the status page still shows this run', async () => {
    const { outcome, log, problems } = await run(join(dir, 'a-file', 'state'), join(dir, 'www'));
    assert.equal(outcome.level, 'CRITICAL');
    assert.ok(problems.some((p) => p.includes('cannot use state_dir')));
    assert.ok(!existsSync(join(dir, 'a-file', 'state')));
    assert.doesNotMatch(log, /ERROR: history/);
    const html = readFileSync(join(dir, 'www', 'index.html'), 'utf8');
    assert.match(html, /<strong>Service disruption<\/strong><span>bad-one: down<\/span>/);
    assert.equal((html.match(/class="slot (ok|critical)"/g) ?? []).length, 2);
  });
});
