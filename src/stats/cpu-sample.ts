// CPU busy % over a short sample: two reads of /proc/stat's aggregate line, the busy share of the ticks in between.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CpuTimes {
  /** Ticks spent idle or waiting for I/O. */
  idle: number;
  /** All ticks (user nice system idle iowait irq softirq steal; guest time is already inside user). */
  total: number;
}

/** The `cpu ` line of /proc/stat. */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate "cpu" line in /proc/stat');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

export async function readCpuTimes(path = '/proc/stat'): Promise<CpuTimes> {
  return parseProcStat(await readFile(path, 'utf8'));
}

/** Busy % between two readings; 0 when no tick passed (a sample shorter than one jiffy). */
export function busyPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, ((total - (after.idle - before.idle)) / total) * 100));
}

/** Measure over `sampleMs` (200 ms is enough for a glance and short enough for an interactive command). */
export async function sampleCpuPercent(sampleMs = 200, path = '/proc/stat'): Promise<number> {
  const before = await readCpuTimes(path);
  await sleep(sampleMs);
  return busyPercent(before, await readCpuTimes(path));
}
