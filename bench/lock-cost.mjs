// Benchmark: what taking and releasing the run lock costs a cron run — the link()-claim lock of src/state/lock.ts
// against the plain link() lock it replaced (same syscalls but no O_EXCL random temp and no ownership check).
// Run: node --import tsx bench/lock-cost.mjs
import { linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { acquireLock } = await import('../src/state/lock.ts');
const dir = mkdtempSync(join(tmpdir(), 'nn-bench-lock-'));
const rounds = 2000;

function oldLock() {
  const path = join(dir, 'old', 'run.lock');
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${process.pid}\n${new Date().toISOString()}\n`, { mode: 0o644 });
  linkSync(temp, path);
  rmSync(temp, { force: true });
  rmSync(path, { force: true });
}

function time(name, fn) {
  for (let i = 0; i < 100; i++) fn(); // warm-up
  const started = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  const us = ((performance.now() - started) / rounds) * 1000;
  console.log(`${name.padEnd(36)} ${us.toFixed(1)} µs per acquire + release`);
}

(await import('node:fs')).mkdirSync(join(dir, 'old'));
time('plain link() lock (before)', oldLock);
time('link() + takeover claim (now)', () => acquireLock(join(dir, 'new'), 120_000).release());
rmSync(dir, { recursive: true, force: true });
