// `disk` check: used % of one or more mounts (statfs, no child process), free GiB and inodes used %.
import { say } from '../i18n/index.js';
import { statfs } from 'node:fs/promises';
import { posix } from 'node:path';
import { z } from 'zod';
import { worst } from '../levels.js';
import { round1 } from '../util/time.js';
import { defineCheck, type CheckMetrics } from './check.js';
import { crossedThreshold, levelForPercent, resolveThresholds } from './resource-level.js';
import type { PerfDatum } from '../types.js';

const GB = 1024 ** 3;

export interface DiskUsage {
  path: string;
  total: number;
  used: number;
  free: number;
  /** Used % as df shows it: used / (used + available to non-root). */
  percent: number;
  inodesPercent: number | undefined;
}

/** Disk usage of the filesystem holding `path`, as `df` computes it. */
export async function diskUsage(path: string): Promise<DiskUsage> {
  const fs = await statfs(path);
  const total = fs.blocks * fs.bsize;
  const free = fs.bavail * fs.bsize;
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const percent = used + free > 0 ? (used / (used + free)) * 100 : 0;
  const inodesPercent = fs.files > 0 ? ((fs.files - fs.ffree) / fs.files) * 100 : undefined;
  return { path, total, used, free, percent, inodesPercent };
}

/** A path listed twice would be checked twice and give Prometheus the same series twice (an invalid file). */
function noRepeatedPath(paths: string[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  paths.forEach((path, index) => {
    const same = posix.normalize(path).replace(/(.)\/+$/, '$1');
    const first = seen.get(same);
    if (first === undefined) seen.set(same, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `"${path}" is already paths[${first}]; list each path once`,
      });
  });
}

/** The JSON fields run() below writes (what --json shows), read back for Prometheus. */
interface DiskDetails {
  path: string;
  usage_percent: number;
  mounts?: { path: string; usage_percent: number }[];
}

const diskMetrics: CheckMetrics = {
  families: { disk_used_ratio: 'Used fraction of the filesystem (0-1), as df computes it.' },
  samples(result) {
    const details = result.details as DiskDetails | undefined;
    const mounts = details ? (details.mounts ?? [details]) : [];
    return mounts.map((mount) => ({
      family: 'disk_used_ratio',
      labels: { check: result.name, mountpoint: mount.path },
      value: mount.usage_percent / 100,
    }));
  },
};

export const disk = defineCheck({
  type: 'disk',
  metrics: diskMetrics,
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      path: z.string().min(1).optional(),
      paths: z.array(z.string().min(1)).min(1).superRefine(noRepeatedPath).optional(),
      warning: z.number().min(0).max(100).optional(),
      critical: z.number().min(0).max(100).optional(),
    });
  },
  timeoutLevel: 'UNKNOWN',
  async run(cfg, ctx) {
    const thresholds = resolveThresholds(ctx.thresholds.disk, cfg);
    const paths = cfg.paths ?? [cfg.path ?? '/'];
    const usages = await Promise.all(paths.map(diskUsage));
    const levels = usages.map((u) =>
      worst([levelForPercent(u.percent, thresholds), levelForPercent(u.inodesPercent ?? 0, thresholds)]),
    );
    const describe = (u: DiskUsage) => {
      const inodesCrossed = u.inodesPercent === undefined ? undefined : crossedThreshold(u.inodesPercent, thresholds);
      const inodes = inodesCrossed
        ? {
            percent: round1(u.inodesPercent!),
            level: levelForPercent(u.inodesPercent!, thresholds),
            crossed: inodesCrossed,
          }
        : undefined;
      // the threshold it reached first: a reader sees at once why it is WARNING or CRITICAL
      const crossed = crossedThreshold(u.percent, thresholds);
      return say.check.disk({
        percent: round1(u.percent),
        path: u.path,
        level: levelForPercent(u.percent, thresholds),
        crossed,
        freeGiB: round1(u.free / GB),
        inodes,
      });
    };
    // The JSON fields describe the fullest mount, which is the one a reader cares about.
    const fullest = usages.reduce((a, b) => (b.percent > a.percent ? b : a));
    const message = usages.map(describe).join('; ');
    const perf: PerfDatum[] = usages.map((u) => ({
      label: paths.length > 1 ? `${cfg.name}:${u.path}` : cfg.name,
      value: round1(u.percent),
      uom: '%',
      warn: String(thresholds.warning),
      crit: String(thresholds.critical),
      min: 0,
      max: 100,
    }));
    return {
      level: worst(levels),
      message,
      details: {
        path: fullest.path,
        usage_percent: round1(fullest.percent),
        free_gb: round1(fullest.free / GB),
        total_gb: round1(fullest.total / GB),
        inodes_used_percent: fullest.inodesPercent === undefined ? null : round1(fullest.inodesPercent),
        ...(usages.length > 1
          ? {
              mounts: usages.map((u) => ({
                path: u.path,
                usage_percent: round1(u.percent),
                free_gb: round1(u.free / GB),
              })),
            }
          : {}),
      },
      perf,
    };
  },
});
