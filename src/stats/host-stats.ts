// `stats`: the host's CPU, memory and disk right now, in the shape of docs/reference.md#stats-json (bytes), from /proc and statfs.
// /proc over systeminformation: same facts, several times faster and no child process (bench/stats-sources.mjs).
import { availableParallelism, loadavg } from 'node:os';
import { diskUsage } from '../checks/disk.js';
import { memoryUsage } from '../checks/memory.js';
import { round1, round2 } from '../util/time.js';
import { sampleCpuPercent } from './cpu-sample.js';

export interface HostStats {
  cpu: { percent: number; count: number; load_avg: [number, number, number] };
  memory: { total: number; available: number; percent: number };
  /** `free` is what non-root users can still write (df's Avail); total − used − free is the root reserve. */
  disk: { path: string; total: number; used: number; free: number; percent: number };
}

export interface StatsOptions {
  path: string;
  sampleMs?: number;
}

export async function collectHostStats(options: StatsOptions): Promise<HostStats> {
  // The disk and memory reads happen while the CPU sample waits.
  const [cpuPercent, memory, disk] = await Promise.all([sampleCpuPercent(options.sampleMs ?? 200), memoryUsage(), diskUsage(options.path)]);
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    cpu: { percent: round1(cpuPercent), count: availableParallelism(), load_avg: [round2(one), round2(five), round2(fifteen)] },
    memory: { total: memory.total, available: memory.available, percent: round1(memory.percent) },
    disk: { path: disk.path, total: disk.total, used: disk.used, free: disk.free, percent: round1(disk.percent) },
  };
}
