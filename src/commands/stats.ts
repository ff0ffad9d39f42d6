// `stats [--json] [--path P]`: host CPU, memory and disk right now, as the JSON of docs/reference.md#stats-json or a short table.
import { levelForPercent } from '../checks/resource-level.js';
import { makePaint, type Paint } from '../terminal/paint.js';
import { hostStatsNow, type HostStats } from '../stats/host-stats.js';
import { formatBytes } from '../util/bytes.js';
import { codeOf, UsageError } from '../util/errors.js';
import { localStamp } from '../util/time.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface StatsFlags extends GlobalOptions {
  path?: string;
}

// Colour only: the built-in thresholds, so a glance needs no config file (and a broken one does not hide the numbers).
const THRESHOLDS = { cpu: { warning: 70, critical: 90 }, memory: { warning: 80, critical: 90 }, disk: { warning: 80, critical: 90 } };

export async function statsCommand(flags: StatsFlags, io: CommandIO): Promise<number> {
  const path = flags.path ?? '/';
  let stats: HostStats;
  try {
    stats = await hostStatsNow(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') throw new UsageError(`--path ${path}: no such file or directory (name a mounted path, like / or /var)`);
    if (code === 'EACCES') throw new UsageError(`--path ${path}: permission denied`);
    throw error;
  }
  if (flags.quiet) return 0;
  if (flags.json) {
    io.out(JSON.stringify(stats, null, 2) + '\n');
    return 0;
  }
  io.out(renderStats(stats, await makePaint(io.color), path));
  return 0;
}

export function renderStats(stats: HostStats, paint: Paint, path = '/', now = new Date()): string {
  const pct = (value: number, kind: keyof typeof THRESHOLDS) => paint.level(levelForPercent(value, THRESHOLDS[kind]), `${value.toFixed(1).padStart(5)}%`);
  const { cpu, memory, disk } = stats;
  const rows: [string, string, string][] = [
    ['CPU', pct(cpu.percent, 'cpu'), `busy · ${cpu.count} core${cpu.count === 1 ? '' : 's'} · load ${cpu.load_avg.join(' ')}`],
    ['Memory', pct(memory.percent, 'memory'), `used · ${formatBytes(memory.available)} available of ${formatBytes(memory.total)}`],
    [`Disk ${path}`, pct(disk.percent, 'disk'), `used · ${formatBytes(disk.free)} free of ${formatBytes(disk.total)} (${formatBytes(disk.used)} used)`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = [paint.bold(`neuronova-health-check stats · ${localStamp(now)}`)];
  for (const [name, value, text] of rows) lines.push(`  ${name.padEnd(width)}  ${value}  ${text}`);
  return lines.join('\n') + '\n';
}
