// What happens after the checks, in order: alerts, history, files for other tools, heartbeat. One line per step.
import type { RunOptions, RunStep } from './run-context.js';

// Each step imports its module only when the config asks for it, so a plain run parses none of them.
export const AFTER_RUN_STEPS: RunStep[] = [
  // `load`: the steps nearly every run takes are imported while the checks run (see RunStep.load).
  {
    name: 'alerts',
    load: () => import('./alerts/step.js'),
    wanted: () => true,
    run: async (ctx) => (await import('./alerts/step.js')).alertStep(ctx),
  },
  {
    name: 'history',
    load: () => import('./history/write.js'),
    wanted: (ctx) => ctx.stateWritable,
    run: async (ctx) => (await import('./history/write.js')).recordRun(ctx),
  },
  // Files and pings for other tools describe the whole host: a partial `--only` run writes and pings nothing.
  {
    name: 'status page',
    wanted: (ctx) => Boolean(ctx.config.outputs.status_dir) && fullRun(ctx.options),
    run: async (ctx) => (await import('./outputs/status-page.js')).writeStatusPage(ctx),
  },
  {
    name: 'prometheus',
    wanted: (ctx) => Boolean(ctx.config.outputs.prometheus) && fullRun(ctx.options),
    run: async (ctx) => (await import('./outputs/prometheus.js')).prometheusStep(ctx),
  },
  // Heartbeat stays last, so a ping means everything before it is done; its optional /start goes out as the run begins.
  {
    name: 'heartbeat',
    before: async (ctx) => {
      if (ctx.config.outputs.heartbeat?.start && fullRun(ctx.options))
        await (await import('./outputs/heartbeat.js')).heartbeatStart(ctx);
    },
    wanted: (ctx) => Boolean(ctx.config.outputs.heartbeat) && fullRun(ctx.options),
    run: async (ctx) => (await import('./outputs/heartbeat.js')).heartbeatStep(ctx),
  },
];

function fullRun(options: RunOptions): boolean {
  return !options.only || options.only.length === 0;
}
