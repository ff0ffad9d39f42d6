// `--format nagios`: the first line matches the plugin guidelines' grammar (`LEVEL - text | 'label'=value[UOM];warn;crit;min;max`),
// one more line per failing check, the usual exit code — from the built binary as NRPE would call it, and from odd inputs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nagiosOutput, nagiosPerfDatum, plainNumber } from '../../src/outputs/nagios.js';
import type { CheckResult } from '../../src/types.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

// The Nagios plugin development guidelines, as a grammar. A label is quoted (a quote inside doubled) or has no
// space, '=' or quote; value is a plain decimal (no exponent); UOM one of the listed units; ranges [@][start:][end].
const NUM = String.raw`-?(?:\d+\.?\d*|\.\d+)`;
const LABEL = String.raw`(?:'(?:[^']|'')+'|[^\s'=]+)`;
const UOM = '(?:s|ms|us|%|B|KB|MB|GB|TB|c)?';
const RANGE = `@?(?:(?:~|${NUM}):)?(?:${NUM})?`;
const DATUM = `${LABEL}=(?:${NUM}${UOM}|U)(?:;${RANGE}(?:;${RANGE}(?:;(?:${NUM})?(?:;(?:${NUM})?)?)?)?)?`;
const FIRST_LINE = new RegExp(`^(OK|WARNING|CRITICAL|UNKNOWN) - [^|\\n]+?(?: \\| ${DATUM}(?: ${DATUM})*)?$`);
const LONG_LINE = /^(WARNING|CRITICAL|UNKNOWN): [A-Za-z0-9][A-Za-z0-9_.-]*: [^|\n]*$/;

function assertGuidelines(output: string): string[] {
  assert.ok(output.endsWith('\n'));
  const lines = output.slice(0, -1).split('\n');
  assert.match(lines[0]!, FIRST_LINE);
  for (const line of lines.slice(1)) assert.match(line, LONG_LINE);
  return lines;
}

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-nagios-'));
  await ensureBuilt();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const node = (code: number, out: string) =>
  JSON.stringify([process.execPath, '-e', `console.log(${JSON.stringify(out)}); process.exit(${code})`]);

describe('--format nagios from the built binary', () => {
  test("CRITICAL run: guideline line with every check's perfdata, one line per failing check, exit 2", async () => {
    const config = join(dir, 'critical.yml');
    writeFileSync(
      config,
      [
        `log_file: ${join(dir, 'critical.log')}`,
        `state_dir: ${join(dir, 'state-critical')}`,
        'checks:',
        '  - { name: disk, type: disk, path: /, warning: 100, critical: 100 }',
        '  - { name: memory, type: memory, warning: 100, critical: 100 }',
        `  - { name: queue, type: command, command: ${node(1, "QUEUE WARNING - 120 waiting | 'queue depth'=120;100;500;0 time=0.000000123s")} }`,
        `  - { name: django, type: command, command: ${node(2, 'DOWN - 502 from upstream | x')} }`,
        '',
      ].join('\n'),
    );
    const run = await runCli(['--format', 'nagios', '--no-alert', '--config', config]);
    assert.equal(run.code, 2, run.stderr);
    const lines = assertGuidelines(run.stdout);
    assert.match(
      lines[0]!,
      /^CRITICAL - 2 of 4 checks failing: queue, django \| 'disk'=[\d.]+%;100;100;0;100 'memory'=[\d.]+%;100;100;0;100 'queue:queue depth'=120;100;500;0 'queue:time'=0\.000000123s$/,
    );
    assert.deepEqual(lines.slice(1), [
      'WARNING: queue: QUEUE WARNING - 120 waiting',
      'CRITICAL: django: DOWN - 502 from upstream',
    ]);
  });

  test('OK run: one line, exit 0', async () => {
    const config = join(dir, 'ok.yml');
    writeFileSync(
      config,
      `log_file: ${join(dir, 'ok.log')}\nstate_dir: ${join(dir, 'state-ok')}\nchecks:\n  - { name: memory, type: memory, warning: 100, critical: 100 }\n`,
    );
    const run = await runCli(['--format', 'nagios', '--no-alert', '--config', config]);
    assert.equal(run.code, 0, run.stderr);
    const lines = assertGuidelines(run.stdout);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^OK - all 1 checks ok \| 'memory'=/);
  });

  test('a config the program cannot use: UNKNOWN on stdout too (NRPE shows only stdout), exit 3', async () => {
    const config = join(dir, 'bad.yml');
    writeFileSync(config, 'checks:\n  - { name: m, type: memory, unti: 1 }\n');
    const run = await runCli(['--format', 'nagios', '--config', config]);
    assert.equal(run.code, 3);
    assert.match(run.stdout, /^UNKNOWN - .*bad\.yml: checks\[0\]\.unti: unknown key "unti".*\n$/);
    assert.match(run.stdout.split('\n')[0]!, FIRST_LINE);
    assert.match(run.stderr, /unknown key "unti"/);
  });
});

describe('nagiosOutput', () => {
  const result = (over: Partial<CheckResult>): CheckResult => ({
    name: 'x',
    type: 'command',
    level: 'OK',
    message: 'fine',
    durationMs: 1,
    ...over,
  });

  test('odd plugin input still yields a guideline line: quotes, spaces, tiny and huge numbers, bad ranges, NaN, duplicates', () => {
    const output = nagiosOutput([
      result({
        name: 'app',
        level: 'WARNING',
        message: 'a | b\nsecond line with redis://user:secret@db:6379/0',
        perf: [
          { label: "it's odd = yes", value: 1e-7, uom: 's' },
          { label: 'big', value: 1.5e22, uom: 'B' },
          { label: 'range', value: 5, warn: '10:20', crit: '@~:30' },
          { label: 'garbage', value: 5, warn: 'ten', crit: '1;2', min: Number.NaN },
          { label: 'nan', value: Number.NaN },
          { label: 'range', value: 6 },
        ],
      }),
      result({ name: 'cpu', type: 'cpu', perf: [{ label: 'load1', value: 0.5 }] }),
      result({ name: 'cpu2', type: 'cpu', perf: [{ label: 'load1', value: 0.7 }] }),
    ]);
    const lines = assertGuidelines(output);
    assert.equal(
      lines[0],
      "WARNING - 1 of 3 checks failing: app | 'app:it''s odd = yes'=0.0000001s 'app:big'=15000000000000000000000B 'app:range'=5;10:20;@~:30 'app:garbage'=5 'load1'=0.5",
    );
    assert.match(lines[1]!, /^WARNING: app: a ¦ b second line with redis:\/\/\S*\*\*\*@db:6379\/0$/);
    assert.ok(!output.includes('secret'), 'secrets masked');
  });

  test('no checks: OK with a plain sentence', () => {
    assert.equal(nagiosOutput([]), 'OK - no checks ran\n');
  });

  test('numbers never use exponent notation', () => {
    assert.equal(plainNumber(1e-7), '0.0000001');
    assert.equal(plainNumber(-2.5e-9), '-0.0000000025');
    assert.equal(plainNumber(83.1), '83.1');
    // 6.9 ms in seconds: no binary float noise (0.006900000000000001)
    assert.equal(plainNumber(6.9 / 1000), '0.0069');
    assert.equal(nagiosPerfDatum({ label: 'api_time', value: 6.9 / 1000, uom: 's', min: 0 }), "'api_time'=0.0069s;;;0");
    assert.equal(plainNumber(1e21), '1000000000000000000000');
    assert.equal(nagiosPerfDatum({ label: 'x', value: Number.POSITIVE_INFINITY }), undefined);
  });
});
