// `tcp` check: connects to host:port within the timeout and reports how long the handshake took.
import { connect } from 'node:net';
import { z } from 'zod';
import { round1 } from '../util/time.js';
import { defineCheck } from './check.js';
import { codeOf, messageOf } from '../util/errors.js';

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
  async run(cfg, ctx) {
    const started = performance.now();
    const target = `${cfg.host}:${cfg.port}`;
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: cfg.host, port: cfg.port });
        const abort = () => socket.destroy(new Error('timed out'));
        ctx.signal.addEventListener('abort', abort, { once: true });
        socket.once('connect', () => {
          ctx.signal.removeEventListener('abort', abort);
          socket.destroy();
          resolve();
        });
        socket.once('error', (error) => {
          ctx.signal.removeEventListener('abort', abort);
          socket.destroy();
          reject(error);
        });
      });
    } catch (error) {
      const code = codeOf(error);
      const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : messageOf(error);
      return { level: 'CRITICAL', message: `cannot connect to ${target}: ${why}`, details: { host: cfg.host, port: cfg.port } };
    }
    const ms = round1(performance.now() - started);
    return {
      level: 'OK',
      message: `connected to ${target}`,
      logMessage: `connected to ${target} (${ms} ms)`,
      responseTimeMs: ms,
      details: { host: cfg.host, port: cfg.port },
      perf: [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }],
    };
  },
});
