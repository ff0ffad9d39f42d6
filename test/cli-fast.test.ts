// The plain run forms parsed without commander: the same flags commander gives the run command, or "not mine".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plainRunFlags } from '../src/cli-fast.js';

// Expected values are what commander's optsWithGlobals() gives the run action for the same argv.
const PLAIN: [string, Record<string, unknown>][] = [
  ['', { alert: true, color: true }],
  ['--quiet', { alert: true, color: true, quiet: true }],
  [
    '--quiet --config /etc/neuronova/health-check.yml',
    { alert: true, color: true, quiet: true, config: '/etc/neuronova/health-check.yml' },
  ],
  ['run --quiet --config=/x.yml', { alert: true, color: true, quiet: true, config: '/x.yml' }],
  ['--json --no-alert --no-color --only a,b', { alert: false, color: false, json: true, only: 'a,b' }],
  ['run --only a --format nagios', { alert: true, color: true, only: 'a', format: 'nagios' }],
];

// Left to commander: its own errors, help and suggestions stay exactly as they are.
const NOT_PLAIN = [
  '--help',
  '-h',
  '--version',
  'stats',
  'report --since 7d',
  'config check',
  '--quiet run',
  'run run',
  '--config',
  '--config --quiet',
  '--config=',
  '--config /a --config /b',
  '--quiet --quiet',
  '--format json',
  '--format=xml',
  '--qiuet',
  '-q',
  '--only',
  'run extra',
  '--',
  '--config=/a=b --json --unknown',
];

describe('plain run flags', () => {
  for (const [argv, expected] of PLAIN) {
    test(`"${argv}" runs directly`, () => assert.deepEqual(plainRunFlags(argv ? argv.split(' ') : []), expected));
  }
  for (const argv of NOT_PLAIN) {
    test(`"${argv}" goes to commander`, () => assert.equal(plainRunFlags(argv.split(' ')), undefined));
  }
  test('a value with "=" in it is kept whole', () =>
    assert.deepEqual(plainRunFlags(['--config=/a=b.yml']), { alert: true, color: true, config: '/a=b.yml' }));
});
