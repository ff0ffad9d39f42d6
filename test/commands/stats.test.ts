// `stats`: the docs/reference.md#stats-json shape in bytes, numbers that agree with /proc and statfs, --path, the table, the CPU sample.
import assert from 'node:assert/strict';
import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import type { CommandIO } from '../../src/commands/io.js';
import { statsCommand } from '../../src/commands/stats.js';
import { spawn } from 'node:child_process';
import { startCpuMeter } from '../../src/stats/host-stats.js';
import { UsageError } from '../../src/util/errors.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

function capture(): CommandIO & { stdout: () => string } {
  let out = '';
  return { out: (text) => void (out += text), err: () => undefined, color: false, stdout: () => out };
}

interface Stats {
  cpu: { percent: number; count: number; load_avg: number[] };
  memory: { total: number; available: number; percent: number };
  disk: { total: number; used: number; free: number; percent: number };
}

const meminfo = (field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;

describe('stats', () => {
  test('--json: cpu {percent, count, load_avg[3]}, memory {total, available, percent}, disk {total, used, free, percent} in bytes', async () => {
    const io = capture();
    assert.equal(await statsCommand({ json: true }, io), 0);
    const stats = JSON.parse(io.stdout()) as Stats;
    assert.deepEqual(Object.keys(stats), ['cpu', 'memory', 'disk']);
    assert.deepEqual(Object.keys(stats.cpu), ['percent', 'count', 'load_avg']);
    assert.deepEqual(Object.keys(stats.memory), ['total', 'available', 'percent']);
    assert.deepEqual(Object.keys(stats.disk), ['total', 'used', 'free', 'percent']);

    assert.ok(stats.cpu.percent >= 0 && stats.cpu.percent <= 100);
    assert.equal(stats.cpu.count, availableParallelism());
    assert.equal(stats.cpu.load_avg.length, 3);
    for (const load of stats.cpu.load_avg) assert.ok(typeof load === 'number' && load >= 0);

    // Bytes, the kernel's own figures.
    assert.equal(stats.memory.total, meminfo('MemTotal'));
    assert.ok(stats.memory.available > 0 && stats.memory.available <= stats.memory.total);
    assert.ok(
      Math.abs(stats.memory.percent - ((stats.memory.total - stats.memory.available) / stats.memory.total) * 100) <=
        0.05,
    );

    const fs = statfsSync('/');
    assert.equal(stats.disk.total, fs.blocks * fs.bsize);
    // Other tests write files meanwhile: used and free agree with df to within 1% of the disk.
    assert.ok(Math.abs(stats.disk.used - (fs.blocks - fs.bfree) * fs.bsize) < stats.disk.total / 100);
    assert.ok(Math.abs(stats.disk.free - fs.bavail * fs.bsize) < stats.disk.total / 100);
    assert.ok(Math.abs(stats.disk.percent - (stats.disk.used / (stats.disk.used + stats.disk.free)) * 100) <= 0.05);
  });

  test('--path reports the filesystem holding that path; a missing path is a usage error', async () => {
    const io = capture();
    await statsCommand({ json: true, path: '/proc' }, io);
    const stats = JSON.parse(io.stdout()) as Stats;
    assert.equal(stats.disk.total, 0, '/proc is procfs: no blocks');
    await assert.rejects(statsCommand({ json: true, path: '/no/such/dir' }, capture()), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /^--path \/no\/such\/dir: no such file or directory/);
      return true;
    });
  });

  test('on a terminal: a readable table, no colour codes when colour is off', async () => {
    const io = capture();
    await statsCommand({}, io);
    const lines = io.stdout().trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /^ {2}CPU +\d+\.\d% {2}busy · \d+ cores? · load [\d.]+ [\d.]+ [\d.]+$/);
    assert.match(lines[2]!, /^ {2}Memory +\d+\.\d% {2}used · [\d.]+ [KMGT]iB available of [\d.]+ [KMGT]iB$/);
    assert.match(
      lines[3]!,
      /^ {2}Disk \/ +\d+\.\d% {2}used · [\d.]+ [KMGT]iB free of [\d.]+ [KMGT]iB \([\d.]+ [KMGT]?i?B used\)$/,
    );
    assert.ok(!io.stdout().includes('\x1b['), 'no colour codes');
  });

  test('--quiet prints nothing', async () => {
    const io = capture();
    assert.equal(await statsCommand({ quiet: true }, io), 0);
    assert.equal(io.stdout(), '');
  });

  test('the built binary: stats --json exits 0; a bad --path exits 3 with one line on stderr', async () => {
    await ensureBuilt();
    const ok = await runCli(['stats', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok((JSON.parse(ok.stdout) as Stats).memory.total > 0);
    const bad = await runCli(['stats', '--path', '/no/such/dir']);
    assert.equal(bad.code, 3);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^neuronova-health-check: --path \/no\/such\/dir: no such file or directory.*\n$/);
  });
});

describe('CPU meter (systeminformation)', () => {
  test('a busy process shows as busy CPU between two samples', async (t) => {
    const meter = await startCpuMeter();
    const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 5000; while (Date.now() < end);'], {
      stdio: 'ignore',
    });
    t.after(() => busy.kill('SIGKILL'));
    await meter.sample();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const percent = await meter.sample();
    // One core of availableParallelism() spinning: at least half of its share, whatever else the host does.
    assert.ok(percent >= 50 / availableParallelism(), `busy ${percent}% with one core spinning`);
    assert.ok(percent <= 100);
    assert.equal(meter.last(), percent);
  });
});
