// Benchmark: where `stats` gets its facts — systeminformation vs reading /proc and statfs directly (what src/stats does).
// Same facts both ways: memory total/available, disk total/used/free of /, CPU busy % over one 200 ms sample, load.
// Measures (1) a fresh process, as `stats` runs: import, memory + disk, and the CPU % (two readings around a wait:
// ours waits 200 ms, systeminformation's first currentLoad() waits a fixed 500 ms inside);
// (2) warm calls in one process; (3) whether the two agree; (4) the built `stats --json` end to end.
// Run: node bench/stats-sources.mjs [--runs N]   (from the repository root; prints a table, --json for JSON)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const RUNS = Number(argv.includes('--runs') ? argv[argv.indexOf('--runs') + 1] : 15);
const JSON_OUT = argv.includes('--json');
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(1)} ms`;

// ---- the two sources, as fresh-process scripts ---------------------------------------------------------------
// Each prints {imp, facts, cpu}: ms to import its module(s), ms for memory + disk + load + count, ms for the CPU %.
const PROC = `
const t0 = performance.now();
const { readFile, statfs } = await import('node:fs/promises');
const { loadavg, availableParallelism } = await import('node:os');
const t1 = performance.now();
const [mem, fs] = await Promise.all([readFile('/proc/meminfo', 'utf8'), statfs('/')]);
const total = Number(/^MemTotal:\\s+(\\d+)/m.exec(mem)[1]) * 1024, available = Number(/^MemAvailable:\\s+(\\d+)/m.exec(mem)[1]) * 1024;
const facts = { total, available, disk: fs.blocks * fs.bsize, load: loadavg(), count: availableParallelism() };
const t2 = performance.now();
const cpu = (t) => { const f = t.split('\\n')[0].trim().split(/\\s+/).slice(1, 9).map(Number); return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) }; };
const a = cpu(await readFile('/proc/stat', 'utf8'));
await new Promise((r) => setTimeout(r, 200));
const b = cpu(await readFile('/proc/stat', 'utf8'));
const busy = (b.total - a.total - (b.idle - a.idle)) / (b.total - a.total);
const t3 = performance.now();
process.stdout.write(JSON.stringify({ imp: t1 - t0, facts: t2 - t1, cpu: t3 - t2 }));`;

const SI = `
const t0 = performance.now();
const si = (await import('systeminformation')).default;
const { loadavg, availableParallelism } = await import('node:os');
const t1 = performance.now();
const [mem, fs] = await Promise.all([si.mem(), si.fsSize()]);
const root = fs.find((f) => f.mount === '/');
const facts = { total: mem.total, available: mem.available, disk: root.size, load: loadavg(), count: availableParallelism() };
const t2 = performance.now();
const load = await si.currentLoad();
const t3 = performance.now();
process.stdout.write(JSON.stringify({ imp: t1 - t0, facts: t2 - t1, cpu: t3 - t2 }));`;

function freshProcess(code) {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(child.stderr);
  return { ...JSON.parse(child.stdout), wall };
}

// ---- warm, in this process -------------------------------------------------------------------------------------
async function procReading() {
  const [mem, fs, stat] = await Promise.all([
    readFile('/proc/meminfo', 'utf8'),
    statfs('/'),
    readFile('/proc/stat', 'utf8'),
  ]);
  const f = stat.split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return {
    total: Number(/^MemTotal:\s+(\d+)/m.exec(mem)[1]) * 1024,
    available: Number(/^MemAvailable:\s+(\d+)/m.exec(mem)[1]) * 1024,
    disk: { total: fs.blocks * fs.bsize, used: (fs.blocks - fs.bfree) * fs.bsize, free: fs.bavail * fs.bsize },
    cpu: { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) },
    load: loadavg(),
  };
}

async function timeIt(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

// ---- run -------------------------------------------------------------------------------------------------------
const cold = { proc: [], si: [] };
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so a busy moment on the host hits both alike.
  cold.proc.push(freshProcess(PROC));
  cold.si.push(freshProcess(SI));
}
const coldMedian = (list, key) => median(list.map((r) => r[key]));

const si = (await import('systeminformation')).default;
await si.currentLoad();
const warm = {
  proc: await timeIt(procReading, 50),
  siMem: await timeIt(() => si.mem(), 20),
  siFs: await timeIt(() => si.fsSize(), 20),
  siLoad: await timeIt(() => si.currentLoad(), 20),
};

// Agreement: both read over the same 200 ms window, five times (CPU % moves; the two should move together).
const busy = [];
let p1;
for (let i = 0; i < 5; i++) {
  const p0 = await procReading();
  await si.currentLoad();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const siBusy = (await si.currentLoad()).currentLoad;
  p1 = await procReading();
  const procBusy = ((p1.cpu.total - p0.cpu.total - (p1.cpu.idle - p0.cpu.idle)) / (p1.cpu.total - p0.cpu.total)) * 100;
  busy.push([Math.round(procBusy * 10) / 10, Math.round(siBusy * 10) / 10]);
}
const [siMem, siFs] = await Promise.all([si.mem(), si.fsSize()]);
const siRoot = siFs.find((f) => f.mount === '/');
const agreement = {
  memory_total: { proc: p1.total, si: siMem.total },
  memory_available: { proc: p1.available, si: siMem.available },
  disk_total: { proc: p1.disk.total, si: siRoot?.size },
  disk_used: { proc: p1.disk.used, si: siRoot?.used },
  disk_free: { proc: p1.disk.free, si: siRoot?.available },
  cpu_busy_percent: { proc: busy.map((b) => b[0]).join(' '), si: busy.map((b) => b[1]).join(' ') },
};

let endToEnd;
const bin = join(ROOT, 'bin', 'neuronova-health-check.js');
if (existsSync(join(ROOT, 'dist', 'cli.js'))) {
  const walls = [];
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    const t = performance.now();
    const run = spawnSync(process.execPath, [bin, 'stats', '--json'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    walls.push(performance.now() - t);
  }
  endToEnd = median(walls);
}

const results = {
  runs: RUNS,
  fresh_process: {
    proc: {
      import_ms: coldMedian(cold.proc, 'imp'),
      memory_disk_ms: coldMedian(cold.proc, 'facts'),
      cpu_percent_ms: coldMedian(cold.proc, 'cpu'),
      process_wall_ms: coldMedian(cold.proc, 'wall'),
    },
    systeminformation: {
      import_ms: coldMedian(cold.si, 'imp'),
      memory_disk_ms: coldMedian(cold.si, 'facts'),
      cpu_percent_ms: coldMedian(cold.si, 'cpu'),
      process_wall_ms: coldMedian(cold.si, 'wall'),
    },
  },
  warm_ms: { proc_all_facts: warm.proc, si_mem: warm.siMem, si_fsSize: warm.siFs, si_currentLoad: warm.siLoad },
  agreement,
  stats_json_end_to_end_ms: endToEnd,
};

if (JSON_OUT) {
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} else {
  const f = results.fresh_process;
  const lines = [
    `stats sources — medians of ${RUNS} fresh processes (interleaved), node ${process.version}`,
    '',
    '                          import   memory+disk   CPU % (sample)      whole process',
    ...[
      ['/proc + statfs   ', f.proc, '200 ms'],
      ['systeminformation', f.systeminformation, '500 ms fixed'],
    ].map(
      ([name, r, wait]) =>
        `  ${name}   ${ms(r.import_ms).padStart(9)}   ${ms(r.memory_disk_ms).padStart(9)}   ${ms(r.cpu_percent_ms).padStart(9)} (${wait})`.padEnd(
          72,
        ) + ms(r.process_wall_ms).padStart(9),
    ),
    `  without the waits: /proc ${ms(f.proc.import_ms + f.proc.memory_disk_ms + f.proc.cpu_percent_ms - 200)}, systeminformation ${ms(f.systeminformation.import_ms + f.systeminformation.memory_disk_ms + f.systeminformation.cpu_percent_ms - 500)}`,
    '',
    `warm, in one process: /proc all facts ${ms(warm.proc)} · si.mem ${ms(warm.siMem)} · si.fsSize ${ms(warm.siFs)} (runs df) · si.currentLoad ${ms(warm.siLoad)}`,
    '',
    'agreement over the same moment (bytes unless noted):',
    ...Object.entries(agreement).map(
      ([key, v]) => `  ${key.padEnd(18)} /proc ${String(v.proc).padStart(24)}   si ${String(v.si).padStart(24)}`,
    ),
    '',
    endToEnd === undefined
      ? '(no dist/: run `npm run build` for the end-to-end figure)'
      : `neuronova-health-check stats --json, whole process incl. the 200 ms sample: ${ms(endToEnd)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
