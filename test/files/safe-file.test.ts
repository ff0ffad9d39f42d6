// src/util/safe-file.ts on a real filesystem: modes survive a strict umask, planted links, FIFOs and hard links are
// refused or replaced as names, reads are capped, and a directory below another account's directory is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDir, openAppend, readOwnFile, UnsafePathError, writeFileAtomic } from '../../src/util/safe-file.js';
import { closeSync, writeSync } from 'node:fs';
import { NOBODY } from './kit.js';

let root: string;
let umask: number;
let n = 0;
const fresh = () => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};
const mode = (path: string) => statSync(path).mode & 0o7777;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'nn-safe-'));
  umask = process.umask(0o077); // the strictest umask an operator may have: modes must still be the documented ones
});
after(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  test('writes the mode asked for, whatever the umask, and leaves no temp file', () => {
    const dir = fresh();
    writeFileAtomic(join(dir, 'status.json'), '{}\n', { mode: 0o644 });
    assert.equal(mode(join(dir, 'status.json')), 0o644);
    writeFileAtomic(join(dir, 'status.json'), '{"a":1}\n', { mode: 0o644, durable: false });
    assert.equal(readFileSync(join(dir, 'status.json'), 'utf8'), '{"a":1}\n');
    assert.deepEqual(readdirSync(dir), ['status.json']);
  });

  test('a symlink at the final name is replaced as a name; its target is untouched', () => {
    const dir = fresh();
    const target = join(dir, 'secret');
    writeFileSync(target, 'root only\n', { mode: 0o600 });
    symlinkSync(target, join(dir, 'index.html'));
    writeFileAtomic(join(dir, 'index.html'), '<html>', { mode: 0o644 });
    assert.equal(readFileSync(target, 'utf8'), 'root only\n');
    assert.equal(mode(target), 0o600);
    assert.ok(lstatSync(join(dir, 'index.html')).isFile());
  });

  test('creates missing directories with the mode asked for', () => {
    const dir = join(fresh(), 'a', 'b');
    writeFileAtomic(join(dir, 'x.prom'), 'x 1\n', { mode: 0o644, dirMode: 0o755 });
    assert.equal(mode(dir), 0o755);
    assert.equal(mode(join(dir, '..')), 0o755);
  });
});

describe('openAppend', () => {
  test('a new file gets its mode on the descriptor; an existing one keeps its own', () => {
    const dir = fresh();
    const fd = openAppend(join(dir, 'health.log'), { mode: 0o644 });
    writeSync(fd, 'line\n');
    closeSync(fd);
    assert.equal(mode(join(dir, 'health.log')), 0o644);
    chmodSync(join(dir, 'health.log'), 0o600);
    closeSync(openAppend(join(dir, 'health.log'), { mode: 0o644 }));
    assert.equal(mode(join(dir, 'health.log')), 0o600);
  });

  test('refuses a symlink, a FIFO (without hanging) and a second name of another file', () => {
    const dir = fresh();
    const target = join(dir, 'secret');
    writeFileSync(target, '', { mode: 0o600 });
    symlinkSync(target, join(dir, 'link.log'));
    assert.throws(
      () => openAppend(join(dir, 'link.log'), { mode: 0o644 }),
      /link\.log is a symbolic link, and root never writes through one; remove it/,
    );
    assert.equal(spawnSync('mkfifo', [join(dir, 'fifo.log')]).status, 0);
    assert.throws(() => openAppend(join(dir, 'fifo.log'), { mode: 0o644 }), /not a regular file/);
    linkSync(target, join(dir, 'hard.log'));
    assert.throws(() => openAppend(join(dir, 'hard.log'), { mode: 0o644 }), /2 hard links/);
    assert.equal(mode(target), 0o600);
    assert.equal(readFileSync(target, 'utf8'), '');
  });
});

describe('readOwnFile', () => {
  test('reads a file, undefined when missing, refuses a symlink and anything over the cap', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'state.json'), '{"version":1}');
    assert.equal(readOwnFile(join(dir, 'state.json'), 100), '{"version":1}');
    assert.equal(readOwnFile(join(dir, 'none.json'), 100), undefined);
    symlinkSync(join(dir, 'state.json'), join(dir, 'link.json'));
    assert.throws(() => readOwnFile(join(dir, 'link.json'), 100), { code: 'ELOOP' });
    assert.throws(() => readOwnFile(join(dir, 'state.json'), 5), /13 bytes, more than the 5/);
  });
});

describe('ensureDir', () => {
  test("a directory of another account may be written in, but nothing below another account's directory", () => {
    const theirs = fresh();
    chownSync(theirs, NOBODY, NOBODY);
    ensureDir(theirs, 0o755); // their own status directory: written through the safe calls
    assert.throws(
      () => ensureDir(join(theirs, 'site'), 0o755, '/x/index.html'),
      (error: unknown) => {
        assert.ok(error instanceof UnsafePathError);
        assert.equal(
          error.message,
          `${theirs} is owned by uid ${NOBODY}, so another account could redirect the write of /x/index.html below it; make it owned by root and not writable by others (chown root:root ${theirs} && chmod go-w ${theirs}), or choose a place under root-owned directories`,
        );
        return true;
      },
    );
    const open = fresh();
    chmodSync(open, 0o777); // world-writable, not sticky
    assert.throws(() => ensureDir(join(open, 'site'), 0o755), /is writable by every account/);
  });
});
