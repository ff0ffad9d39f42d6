// setup_monitoring.sh installs the man page and the bash completion as links into the current release (so upgrades
// update them), `man` renders the installed page, and --uninstall removes both links.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBinary, skipUnless } from '../helpers/binaries.js';
import { NAME, isSymlink, requireBuild, run, setupOk, snapshotSource, tempDir } from './setup-kit.js';

const MAN = `usr/local/share/man/man1/${NAME}.1`;
const COMPLETION = `usr/local/share/bash-completion/completions/${NAME}`;

test('the man page and bash completion: installed, readable, removed', async (t) => {
  requireBuild();
  const root = tempDir(t);
  const source = snapshotSource(t);

  await t.test('an install links both into the current release, relatively (they work inside the staging root)', () => {
    const { stdout } = setupOk(['--root', root, '--from', source, '--no-run']);
    const release = realpathSync(join(root, 'opt', NAME, 'current'));
    for (const [path, shipped] of [
      [MAN, `deploy/man/${NAME}.1`],
      [COMPLETION, `deploy/completion/${NAME}.bash`],
    ] as const) {
      const link = join(root, path);
      assert.ok(isSymlink(link), `${path} is not a link`);
      assert.ok(!readlinkSync(link).startsWith('/'), `${path} must be relative`);
      assert.ok(readlinkSync(link).includes('/current/'), `${path} must follow upgrades through current/`);
      assert.equal(realpathSync(link), join(release, shipped));
      assert.equal(readFileSync(link, 'utf8'), readFileSync(join(source, shipped), 'utf8'));
      assert.ok(stdout.includes(`/${path} ->`), `${path} not announced:\n${stdout}`);
    }
    const again = setupOk(['--root', root, '--from', source, '--no-run']);
    assert.match(again.stdout, new RegExp(`/${MAN.replace(/\./g, '\\.')}: links to .* \\(unchanged\\)`));
  });

  // Reason for the skip: `man` (package man-db) is what renders it; the page's own structure is tested in test/cli/.
  await t.test(
    'man renders the installed page',
    { skip: skipUnless(findBinary('man') !== undefined, 'man', 'man-db') },
    () => {
      const shown = run(findBinary('man')!, ['-l', join(root, MAN)], {
        MANWIDTH: '100',
        MANPAGER: 'cat',
        PAGER: 'cat',
      });
      assert.equal(shown.status, 0, shown.stderr);
      assert.match(shown.stdout.replace(/.\x08/g, ''), /EXIT STATUS/);
    },
  );

  await t.test('--uninstall removes both links', () => {
    setupOk(['--root', root, '--uninstall']);
    for (const path of [MAN, COMPLETION])
      assert.ok(!existsSync(join(root, path)) && !isSymlink(join(root, path)), `${path} left behind`);
  });
});
