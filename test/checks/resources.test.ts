// The `disk`, `memory` and `cpu` checks on this machine: real figures, config thresholds and per-check overrides
// (warning: 0 forces WARNING, critical: 0 forces CRITICAL, since any usage is at least 0 %).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memoryUsage } from '../../src/checks/memory.js';
import { runYaml } from '../helpers/check-run.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-res-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('disk check', () => {
  test('reports usage_percent, free_gb and inodes as df sees them, OK under the default 80/90', async () => {
    const run = await runYaml('  - { name: disk, type: disk, path: / }\n');
    const entry = run.report.services.disk!;
    // df -P: "Use%" is used / (used + available), rounded up
    const dfLine = execFileSync('df', ['-P', '/'], { encoding: 'utf8' }).trim().split('\n')[1]!.split(/\s+/);
    const dfPercent = Number(dfLine[4]!.replace('%', ''));
    assert.ok(
      Math.abs((entry.usage_percent as number) - dfPercent) <= 1.5,
      `usage ${entry.usage_percent} vs df ${dfPercent}`,
    );
    assert.equal(typeof entry.free_gb, 'number');
    assert.equal(typeof entry.inodes_used_percent === 'number' || entry.inodes_used_percent === null, true);
    const expected = dfPercent >= 90 ? 'CRITICAL' : dfPercent >= 80 ? 'WARNING' : 'OK';
    assert.equal(entry.level, expected);
    assert.match(
      run.log,
      /: disk: [\d.]+% used on \/ \((≥ \d+%; )?[\d.]+ GiB free(, inodes [\d.]+% used \(≥ \d+%\))?\)$/m,
    );
  });

  test('per-check warning: 0 forces WARNING and critical: 0 forces CRITICAL', async () => {
    const run = await runYaml(
      '  - { name: w, type: disk, path: /, warning: 0, critical: 100 }\n  - { name: c, type: disk, path: /, critical: 0, warning: 0 }\n',
    );
    assert.equal(run.report.services.w!.level, 'WARNING');
    assert.equal(run.report.services.w!.status, 'degraded');
    assert.match(run.log, /^\[[^\]]+\] WARNING: w: [\d.]+% used on \/ /m);
    assert.equal(run.report.services.c!.level, 'CRITICAL');
    assert.match(run.log, /^\[[^\]]+\] ERROR: c: [\d.]+% used on \/ /m);
  });

  test('config thresholds apply to every disk check, and a per-check value overrides them', async () => {
    const run = await runYaml(
      '  - { name: bythreshold, type: disk, path: / }\n  - { name: override, type: disk, path: /, warning: 100, critical: 100 }\n',
      'thresholds: { disk: { warning: 0, critical: 100 } }\n',
    );
    assert.equal(run.report.services.bythreshold!.level, 'WARNING');
    assert.equal(run.report.services.override!.level, 'OK');
  });

  test('paths: every mount is checked and the message names each', async () => {
    const run = await runYaml(`  - { name: disks, type: disk, paths: [/, ${dir}] }\n`);
    const entry = run.report.services.disks!;
    assert.match(entry.message, new RegExp(`used on / .*; [\\d.]+% used on ${dir} `));
    assert.equal((entry.mounts as unknown[]).length, 2);
  });

  test('a path that does not exist is UNKNOWN with the reason, not a crash', async () => {
    const run = await runYaml(
      `  - { name: gone, type: disk, path: ${dir}/no/such/dir }\n  - { name: root, type: disk, path: / }\n`,
    );
    assert.equal(run.report.services.gone!.level, 'UNKNOWN');
    assert.match(run.report.services.gone!.message, /^check failed: ENOENT/);
    assert.notEqual(run.report.services.root!.level, 'UNKNOWN');
  });

  test('a threshold above 100 % is a config problem', async () => {
    await assert.rejects(
      runYaml('  - { name: d, type: disk, warning: 120 }\n'),
      /checks\[0\]\.warning: must be at most 100/,
    );
  });
});

describe('memory check', () => {
  test('used % = (total − available) / total, as /proc/meminfo says', async () => {
    const run = await runYaml('  - { name: memory, type: memory }\n');
    const entry = run.report.services.memory!;
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(meminfo)![1]);
    const percent = ((kb('MemTotal') - kb('MemAvailable')) / kb('MemTotal')) * 100;
    assert.ok(Math.abs((entry.usage_percent as number) - percent) < 5, `${entry.usage_percent} vs ${percent}`);
    assert.match(entry.message, /^[\d.]+% used \((≥ \d+%; )?[\d.]+ GiB available of [\d.]+ GiB\)$/);
  });

  test('warning: 0 forces WARNING; critical: 0 forces CRITICAL; thresholds.memory is the default', async () => {
    const run = await runYaml(
      '  - { name: w, type: memory, warning: 0 }\n  - { name: c, type: memory, warning: 0, critical: 0 }\n  - { name: t, type: memory }\n',
      'thresholds: { memory: { warning: 0, critical: 0 } }\n',
    );
    assert.equal(run.report.services.w!.level, 'CRITICAL', 'critical 0 from thresholds still applies');
    assert.equal(run.report.services.c!.level, 'CRITICAL');
    assert.equal(run.report.services.t!.level, 'CRITICAL');
    const alone = await runYaml('  - { name: w, type: memory, warning: 0, critical: 100 }\n');
    assert.equal(alone.report.services.w!.level, 'WARNING');
  });

  test('an old kernel without MemAvailable is approximated from MemFree + Buffers + Cached', async () => {
    const path = join(dir, 'meminfo');
    writeFileSync(
      path,
      'MemTotal:        1000000 kB\nMemFree:          200000 kB\nBuffers:           50000 kB\nCached:           150000 kB\nSwapCached:            0 kB\n',
    );
    const usage = await memoryUsage(path);
    assert.equal(usage.total, 1000000 * 1024);
    assert.equal(usage.available, 400000 * 1024);
    assert.equal(usage.percent, 60);
  });
});

describe('cpu check', () => {
  test('load1 / cores × 100, with load_avg and cores reported', async () => {
    const run = await runYaml('  - { name: cpu, type: cpu }\n');
    const entry = run.report.services.cpu!;
    assert.equal(entry.cores, availableParallelism());
    assert.equal((entry.load_avg as number[]).length, 3);
    assert.match(entry.message, /^load [\d.]+ [\d.]+ [\d.]+ on \d+ cores \([\d.]+% of capacity(, ≥ \d+%)?\)$/);
  });

  test('warning: 0 forces WARNING, critical: 0 CRITICAL; cpu thresholds may pass 100 (an overloaded host)', async () => {
    const run = await runYaml(
      '  - { name: w, type: cpu, warning: 0, critical: 100000 }\n  - { name: c, type: cpu, warning: 0, critical: 0 }\n  - { name: high, type: cpu, warning: 50000, critical: 100000 }\n',
    );
    assert.equal(run.report.services.w!.level, 'WARNING');
    assert.equal(run.report.services.c!.level, 'CRITICAL');
    assert.equal(run.report.services.high!.level, 'OK');
  });
});
