// `stats [--json] [--path P]`: host CPU, memory and disk right now, as the JSON of docs/reference.md#stats-json or a short table.
import { say } from '../i18n/index.js';
import { cellWidth, padCells } from '../i18n/width.js';
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
const THRESHOLDS = {
  cpu: { warning: 70, critical: 90 },
  memory: { warning: 80, critical: 90 },
  disk: { warning: 80, critical: 90 },
};

export async function statsCommand(flags: StatsFlags, io: CommandIO): Promise<number> {
  const path = flags.path ?? '/';
  let stats: HostStats;
  try {
    stats = await hostStatsNow(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') throw new UsageError(say.stats.noSuchPath(path));
    if (code === 'EACCES') throw new UsageError(say.stats.permissionDenied(path));
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
  const pct = (value: number, kind: keyof typeof THRESHOLDS) =>
    paint.level(levelForPercent(value, THRESHOLDS[kind]), `${value.toFixed(1).padStart(5)}%`);
  const { cpu, memory, disk } = stats;
  const rows: [string, string, string][] = [
    [say.stats.cpu, pct(cpu.percent, 'cpu'), say.stats.cpuText(cpu.count, cpu.load_avg.join(' '))],
    [
      say.stats.memory,
      pct(memory.percent, 'memory'),
      say.stats.memoryText(formatBytes(memory.available), formatBytes(memory.total)),
    ],
    [
      say.stats.disk(path),
      pct(disk.percent, 'disk'),
      say.stats.diskText(formatBytes(disk.free), formatBytes(disk.total), formatBytes(disk.used)),
    ],
  ];
  const width = Math.max(...rows.map((r) => cellWidth(r[0])));
  const lines = [paint.bold(say.stats.title(localStamp(now)))];
  for (const [name, value, text] of rows) lines.push(`  ${padCells(name, width)}  ${value}  ${text}`);
  return lines.join('\n') + '\n';
}
