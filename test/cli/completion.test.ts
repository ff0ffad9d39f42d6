// bash completion as a user gets it: the file sourced into a real bash, COMP_WORDS set as readline would, the answers
// read back — commands, options, values, and check names from the config through the built binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, ensureBuilt, REPO, runCli } from '../helpers/cli.js';

const COMPLETION = join(REPO, 'deploy', 'completion', 'neuronova-health-check.bash');
let dir: string;
let config: string;

before(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'nn-completion-'));
  symlinkSync(BIN, join(dir, 'neuronova-health-check'));
  config = join(dir, 'health-check.yml');
  writeFileSync(
    config,
    'checks:\n  - { name: disk-root, type: disk, path: / }\n  - { name: disk-srv, type: disk, path: / }\n  - { name: memory, type: memory }\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers for the command line `line` (the cursor at its end). */
function complete(line: string): string[] {
  const words = line.split(' ');
  const script = `source ${JSON.stringify(COMPLETION)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}
_neuronova_health_check; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  assert.equal(result.stderr, '');
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  test('is valid bash and registers itself', () => {
    const result = spawnSync(
      'bash',
      ['-c', `source ${JSON.stringify(COMPLETION)} && complete -p neuronova-health-check`],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /-F _neuronova_health_check neuronova-health-check/);
  });

  test('commands, subcommands and options', () => {
    assert.deepEqual(complete('neuronova-health-check r'), ['report', 'run']);
    assert.deepEqual(complete('neuronova-health-check config '), ['check', 'example']);
    assert.deepEqual(complete('neuronova-health-check logs c'), ['cleanup']);
    assert.deepEqual(complete('neuronova-health-check --no'), ['--no-alert', '--no-color']);
    assert.deepEqual(complete('neuronova-health-check config check --'), [
      '--config',
      '--help',
      '--json',
      '--lang',
      '--quiet',
    ]);
  });

  test('option values', () => {
    assert.deepEqual(complete('neuronova-health-check report --since '), ['24h', '30d', '7d', '90d']);
    assert.deepEqual(complete('neuronova-health-check --format '), ['nagios']);
    assert.deepEqual(complete('neuronova-health-check test-alert --channel s'), ['slack']);
  });

  test('check names from the config, also after a comma in --only', () => {
    assert.deepEqual(complete(`neuronova-health-check --config ${config} --only d`), ['disk-root', 'disk-srv']);
    assert.deepEqual(complete(`neuronova-health-check --config ${config} --only memory,disk-s`), ['memory,disk-srv']);
    assert.deepEqual(complete(`neuronova-health-check --config ${config} report --check m`), ['memory']);
    assert.deepEqual(complete(`neuronova-health-check --config ${config} silence --for 1h d`), [
      'disk-root',
      'disk-srv',
    ]);
  });

  test("offers exactly the options each command's --help lists (so the two cannot drift apart)", async () => {
    const paths = [
      [],
      ['run'],
      ['stats'],
      ['report'],
      ['test-alert'],
      ['config', 'check'],
      ['config', 'example'],
      ['silence'],
      ['logs', 'summary'],
      ['logs', 'errors'],
      ['logs', 'cleanup'],
    ];
    for (const path of paths) {
      const help = (await runCli([...path, '--help'])).stdout;
      const listed = [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
      // with no command, run's own --only is offered too: run is the default command
      const expected = [...new Set([...listed, ...(path.length ? [] : ['--only'])])].sort();
      assert.deepEqual(
        complete(['neuronova-health-check', ...path, '--'].join(' ')),
        expected,
        path.join(' ') || '(no command)',
      );
    }
  });
});
