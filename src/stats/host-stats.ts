// Host CPU, memory and disk in the shape `stats --json` and serve's /api/system/stats/ share (docs/serve.md).
// CPU busy % and memory come from systeminformation: its currentLoad() keeps the previous tick counts, so a
// long-running process gets the real utilisation over its whole interval, and a one-shot command over a short sample.
// Disk comes from statfs on the asked path, the numbers the disk check reports (systeminformation's fsSize runs df
// and lists only real mounts, so it cannot answer for any path).
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { diskUsage } from '../checks/disk.js';
import { round1, round2 } from '../util/time.js';

export interface HostStats {
  cpu: { percent: number; count: number; load_avg: [number, number, number] };
  memory: { total: number; available: number; percent: number };
  /** `free` is what non-root users can still write (df's Avail); total − used − free is the root reserve. */
  disk: { total: number; used: number; free: number; percent: number };
}

type Si = typeof import('systeminformation');
let loaded: Promise<Si> | undefined;

/** systeminformation, loaded on first use: only `stats` and `serve` need it, never a cron run. */
function si(): Promise<Si> {
  loaded ??= import('systeminformation').then((mod) => ((mod as { default?: Si }).default ?? mod) as Si);
  return loaded;
}

/** systeminformation answers a second currentLoad() within 200 ms from its cache: a sample must be longer. */
const MIN_SAMPLE_MS = 250;

export interface CpuMeter {
  /** Busy % of all CPUs since the previous sample (or since the meter was started). */
  sample(): Promise<number>;
  /** The last sampled value. */
  last(): number;
}

/**
 * A meter whose first sample already covers MIN_SAMPLE_MS (not the time since boot). systeminformation keeps one set
 * of previous counts per process: a process should have one meter.
 */
export async function startCpuMeter(): Promise<CpuMeter> {
  const lib = await si();
  await lib.currentLoad();
  await sleep(MIN_SAMPLE_MS);
  let value = (await lib.currentLoad()).currentLoad;
  return {
    async sample() {
      value = (await lib.currentLoad()).currentLoad;
      return value;
    },
    last: () => value,
  };
}

/** Memory, disk and load right now; the CPU % is the caller's (a meter's last sample). */
export async function collectHostStats(path: string, cpuPercent: number): Promise<HostStats> {
  const lib = await si();
  const [memory, disk] = await Promise.all([lib.mem(), diskUsage(path)]);
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const used = memory.total > 0 ? ((memory.total - memory.available) / memory.total) * 100 : 0;
  return {
    cpu: {
      percent: round1(Math.min(100, Math.max(0, cpuPercent))),
      count: availableParallelism(),
      load_avg: [round2(one), round2(five), round2(fifteen)],
    },
    memory: { total: memory.total, available: memory.available, percent: round1(used) },
    disk: { total: disk.total, used: disk.used, free: disk.free, percent: round1(disk.percent) },
  };
}

/** `stats` on the command line: one short CPU sample, then memory and disk. */
export async function hostStatsNow(path: string): Promise<HostStats> {
  const meter = await startCpuMeter();
  return collectHostStats(path, meter.last());
}
