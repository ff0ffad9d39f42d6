// The built binary's help and usage errors as a newcomer meets them: exit codes and examples in --help, each command's
// honoured global options, "did you mean" for a mistyped command, --quiet silent for every command, nonsense flag
// combinations refused with exit 3.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';

let dir: string;
let config: string;

before(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'nn-help-'));
  config = join(dir, 'health-check.yml');
  writeFileSync(
    config,
    `log_file: ${dir}/health_check.log\nstate_dir: ${dir}/state\nchecks:\n  - { name: memory, type: memory, warning: 100, critical: 100 }\nlog_sources: [${dir}/app.log]\n` +
      // a channel nobody answers on, so test-alert has something to print (and fails fast: connection refused)
      'alerts: { webhook: { url: "http://127.0.0.1:9/hook" } }\n',
  );
  writeFileSync(join(dir, 'app.log'), '2025-12-06 14:35:01 ERROR something\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The "Global Options" part of a command's help: the long flags listed there. */
function globalOptionsIn(help: string): string[] {
  const part = help.split(/^Global Options:$/m)[1] ?? '';
  return [...part.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

describe('--help answers', () => {
  test("the program's help explains the exit codes and shows three examples", async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    const exitCodes = result.stdout.split('Exit codes')[1]?.split('Examples:')[0] ?? '';
    for (const [code, level] of [
      ['0', 'OK'],
      ['1', 'WARNING'],
      ['2', 'CRITICAL'],
      ['3', 'UNKNOWN'],
    ]) {
      assert.match(exitCodes, new RegExp(`^ {2}${code} {2}${level}\\b`, 'm'), `exit code ${code} is explained`);
    }
    const examples = result.stdout.split('Examples:')[1]?.split(/\n\n/)[0] ?? '';
    assert.equal([...examples.matchAll(/^ {2}(sudo )?neuronova-health-check\b/gm)].length, 3, examples);
  });

  test('each command lists the global options it honours, and only those', async () => {
    const configCheck = await runCli(['config', 'check', '--help']);
    assert.equal(configCheck.code, 0);
    assert.deepEqual(globalOptionsIn(configCheck.stdout), ['--config', '--json', '--quiet', '--lang']);
    const run = await runCli(['run', '--help']);
    assert.deepEqual(globalOptionsIn(run.stdout), [
      '--config',
      '--json',
      '--quiet',
      '--no-alert',
      '--format',
      '--no-color',
      '--lang',
    ]);
    const example = await runCli(['config', 'example', '--help']);
    assert.deepEqual(globalOptionsIn(example.stdout), ['--quiet']);
    const stats = await runCli(['stats', '--help']);
    assert.ok(
      !globalOptionsIn(stats.stdout).includes('--config'),
      'stats reads no config, so it does not offer --config',
    );
  });

  test('report --help says what --since really accepts', async () => {
    const result = await runCli(['report', '--help']);
    const since =
      result.stdout
        .split('--since')[1]
        ?.split(/\n {2}-/)[0]
        ?.replace(/\s+/g, ' ') ?? '';
    for (const word of ['24h', '7d', '30d', '90d', 'at least 1m', '12h'])
      assert.ok(since.includes(word), `--since help names ${word}: ${since}`);
  });
});

describe('a mistyped command', () => {
  for (const args of [['rnu'], ['--config', '/etc/x.yml', 'rnu'], ['--no-alert', 'rnu']]) {
    test(`${args.join(' ')}: exit 3 and "did you mean run", not "too many arguments"`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 3);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^neuronova-health-check: unknown command "rnu" \(did you mean "run"\?\); commands: run, stats, report/,
      );
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      assert.doesNotMatch(result.stderr, /too many arguments/);
    });
  }

  test('a word close to no command lists the commands', async () => {
    const result = await runCli(['frobnicate']);
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      /unknown command "frobnicate"; commands: run, stats, report, test-alert, config, silence, logs/,
    );
  });

  test('a mistyped subcommand gets its suggestion on the same line', async () => {
    const result = await runCli(['config', 'chek']);
    assert.equal(result.code, 3);
    assert.equal(
      result.stderr,
      'neuronova-health-check: unknown command \'chek\' (did you mean "check"?) (see --help)\n',
    );
  });

  test('help COMMAND still works', async () => {
    const result = await runCli(['help', 'report']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--since/);
  });
});

describe('--quiet means nothing on stdout, for every command', () => {
  const commands: string[][] = [
    ['config', 'check'],
    ['config', 'example'],
    ['run', '--no-alert'],
    ['stats'],
    ['report'],
    ['silence'],
    ['logs', 'summary'],
    ['logs', 'errors', '--hours', '100000'],
    ['logs', 'cleanup', '--dry-run'],
    ['test-alert'],
  ];
  for (const args of commands) {
    test(`--quiet ${args.join(' ')}`, async () => {
      const result = await runCli(['--quiet', '--config', config, ...args]);
      assert.equal(result.stdout, '', `${args.join(' ')} printed: ${result.stdout}`);
      // and it did do its job: the same command without --quiet prints something
      const loud = await runCli(['--config', config, ...args]);
      assert.notEqual(loud.stdout, '', `${args.join(' ')} prints something without --quiet`);
      assert.equal(result.code, loud.code);
    });
  }
});

describe('flags that cannot go together are usage errors', () => {
  test('--json --format nagios: exit 3, nothing on stdout (not even the UNKNOWN line)', async () => {
    for (const args of [
      ['--json', '--format', 'nagios'],
      ['--format', 'nagios', '--json', '--config', config],
      ['run', '--json', '--format=nagios'],
    ]) {
      const result = await runCli(args);
      assert.equal(result.code, 3, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /--json and --format nagios are two different outputs/);
    }
  });

  test('--only with no names: exit 3 and how to write it', async () => {
    for (const args of [
      ['--only', ''],
      ['--only', ','],
      ['--only=', '--config', config],
      ['run', '--only', ' , '],
    ]) {
      const result = await runCli([...args, '--config', config]);
      assert.equal(result.code, 3, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /--only: no check names given; write them comma-separated, like --only disk,memory,cpu/,
      );
    }
  });
});
