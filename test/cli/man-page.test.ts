// The man page says what --help says (it is generated from it) and renders: with groff when installed, and by its
// structure always (the sections a man page must have, every command).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { MAN_PAGE, manPage } from '../../scripts/man-page.mjs';
import { findBinary, skipUnless } from '../helpers/binaries.js';
import { ensureBuilt } from '../helpers/cli.js';

const committed = () => readFileSync(MAN_PAGE as string, 'utf8');
const groff = findBinary('groff');

describe('the man page', () => {
  before(ensureBuilt);

  test('is current: regenerating it from the --help texts changes nothing', () => {
    assert.equal(
      committed(),
      (manPage as () => string)(),
      'deploy/man/neuronova-health-check.1 is stale: run `npm run build && node scripts/man-page.mjs`',
    );
  });

  test('has the sections of a man page and every command', () => {
    const page = committed();
    assert.match(page, /^\.TH NEURONOVA\\-HEALTH\\-CHECK 1 /m);
    for (const section of [
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'OPTIONS',
      'COMMANDS',
      '"EXIT STATUS"',
      'EXAMPLES',
      'FILES',
    ]) {
      assert.match(page, new RegExp(`^\\.SH ${section}$`, 'm'), section);
    }
    for (const command of [
      'run',
      'stats',
      'report',
      'test-alert',
      'config check',
      'config example',
      'silence',
      'logs summary',
      'logs errors',
      'logs cleanup',
    ]) {
      assert.match(page, new RegExp(`^\\.SS "${command.replace(/-/g, '\\\\-')}\\b`, 'm'), command);
    }
  });

  // Reason for the skip: groff is what `man` uses to render; without it only the structure above can be checked.
  test('renders without warnings, exit codes included', {
    skip: skipUnless(groff !== undefined, 'groff', 'groff-base'),
  }, () => {
    const result = spawnSync(groff!, ['-man', '-Tutf8', '-ww', MAN_PAGE as string], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '100' },
    });
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '', 'groff warnings');
    const text = result.stdout.replace(/.\x08/g, '');
    assert.match(text, /EXIT STATUS\s+0\s+OK: every check is OK/);
    assert.match(text, /config check \[options\][\s\S]*Global options it honours: --config, --json, --quiet, --lang\./);
  });
});
