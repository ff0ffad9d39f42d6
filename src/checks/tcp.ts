// `tcp` check: connects to host:port within the timeout and reports how long the handshake took. The connect is
// made and timed in the run's tcp worker thread, so other checks' work is not charged to it (docs/checks-timing.md).
import { say } from '../i18n/index.js';
import { z } from 'zod';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { deathOutcome, timingDetails } from './probe-outcome.js';

export const tcp = defineCheck({
  type: 'tcp',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
    });
  },
  timeoutLevel: 'CRITICAL',
  timedInWorker: true,
  async run(cfg, ctx) {
    const target = `${cfg.host}:${cfg.port}`;
    const details = { host: cfg.host, port: cfg.port };
    // The worker machinery is loaded by the first check that needs it: the default cycle has none (docs/checks-timing.md).
    const { runProbe } = await import('../probes/host.js');
    const outcome = await runProbe(
      { kind: 'tcp', host: cfg.host, port: cfg.port },
      { signal: ctx.signal, label: 'tcp', timeoutMs: cfg.timeout },
    );
    if (outcome.died) return deathOutcome(outcome.died, target, details);
    const reply = outcome.reply;
    if (!reply.ok) {
      const code = reply.error.code;
      const why =
        code === 'ECONNREFUSED'
          ? say.check.net.refused
          : code === 'ENOTFOUND'
            ? say.check.net.hostNotFound
            : reply.error.message;
      return { level: 'CRITICAL', message: say.check.tcp.cannotConnect(target, why), details };
    }
    const ms = round1(reply.timings.total_ms);
    return {
      level: 'OK',
      message: say.check.tcp.connected(target),
      logMessage: say.check.tcp.connected(target, ms),
      responseTimeMs: ms,
      details: { ...details, timings: timingDetails(reply.timings) },
      perf: [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }],
    };
  },
});
