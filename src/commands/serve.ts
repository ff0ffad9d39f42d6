// `serve [--listen HOST:PORT] [--access-log FILE]`: the long-running health API (docs/serve.md). Loads the config like every command, then
// checks on its own interval and answers HTTP until SIGTERM/SIGINT, which it obeys within 2 s.
import { useLanguage } from '../i18n/index.js';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { loadConfig, locateConfig } from '../config/load.js';
import { openAccessLog } from '../serve/access-log.js';
import { cycler } from '../serve/cycle.js';
import { formatListen, parseListen } from '../serve/listen.js';
import { logApi } from '../serve/log-api.js';
import { startScheduler } from '../serve/scheduler.js';
import { createServeServer } from '../serve/server.js';
import { statsAnswerer } from '../serve/stats-answer.js';
import { pageRenderer } from '../serve/status-page.js';
import { resolveToken } from '../serve/token.js';
import { startCpuMeter } from '../stats/host-stats.js';
import { formatDuration } from '../util/duration.js';
import { codeOf, messageOf, UsageError } from '../util/errors.js';
import { maskText } from '../util/mask.js';
import type { CommandIO, GlobalOptions } from './io.js';

export interface ServeFlags extends GlobalOptions {
  listen?: string;
  /** The systemd unit points it into the directory systemd gives the service (the config's default is root's). */
  accessLog?: string;
}

/** SIGTERM to exit: systemd's stop and a Kubernetes pod's end wait for this, so it is kept short. */
const STOP_BUDGET_MS = 1500;

export async function serveCommand(flags: ServeFlags, io: CommandIO): Promise<number> {
  // Under load V8 doubles the young generation (16 → 32 MiB): resident memory grew from 82 to 95 MiB between 10,000
  // and 100,000 requests while the live heap stayed at ~18 MiB. Kept at its start size, resident memory stays flat
  // at ~70 MiB for the same throughput (docs/serve.md "Figures"). Read when the young generation would grow, so
  // setting it now takes effect.
  setFlagsFromString('--semi-space-growth-factor=1');
  const config = loadConfig(locateConfig(flags.config));
  await useLanguage(flags.lang ?? config.language);
  const file = config.source ?? '(built-in defaults)';
  const address = parseListen(flags.listen ?? config.serve.listen);
  if (typeof address === 'string') throw new UsageError(`--listen: ${address}`);
  const token = resolveToken(config.serve, file);
  const intervalMs = config.serve.interval;
  const problem = (message: string) => io.err(`neuronova-health-check: serve: ${maskText(message)}\n`);

  const access = await openAccessLog(flags.accessLog ?? config.serve.access_log, problem);
  const meter = await startCpuMeter();
  const scheduler = startScheduler(cycler(config, hostname()), intervalMs, (error) =>
    problem(`cycle failed: ${messageOf(error)}`),
  );
  scheduler.onCycle(() => void meter.sample().catch(() => {}));
  const server = createServeServer({
    scheduler,
    intervalMs,
    page: pageRenderer(config, intervalMs, problem),
    stats: statsAnswerer(meter),
    logs: logApi({ token, patterns: config.log_sources }),
    access,
    onError: (error) => problem(`internal error while answering: ${messageOf(error)}`),
  });

  const stopAll = async () => {
    server.close();
    server.closeAllConnections();
    await Promise.race([scheduler.stop(), new Promise((resolve) => setTimeout(resolve, STOP_BUDGET_MS - 500).unref())]);
    await access.close(400);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stopAll();
    const code = codeOf(error);
    const why =
      code === 'EADDRINUSE'
        ? 'the address is in use (another serve?)'
        : code === 'EACCES'
          ? 'permission denied (ports below 1024 need root)'
          : code === 'EADDRNOTAVAIL'
            ? 'no such address on this host'
            : (code ?? messageOf(error));
    throw new UsageError(`cannot listen on ${formatListen(address)}: ${why}`);
  }
  const bound = server.address();
  const shown =
    bound && typeof bound === 'object'
      ? formatListen({ host: bound.address, port: bound.port })
      : formatListen(address);
  const checks = config.checks.filter((check) => check.enabled).length;
  if (!flags.quiet) {
    io.out(
      `serving http://${shown}/ · ${checks} check${checks === 1 ? '' : 's'} every ${formatDuration(intervalMs)} · log API ${token ? 'on' : 'off (no serve.token)'} · access log ${access.where}\n`,
    );
  }

  // Until SIGTERM/SIGINT (cli.ts turns the first one into this abort; a second one exits at once).
  await new Promise<void>((resolve) => {
    if (io.interrupted?.aborted) resolve();
    io.interrupted?.addEventListener('abort', () => resolve(), { once: true });
  });
  // Whatever is still running when the budget is spent, the process ends: the cli exits right after this returns.
  setTimeout(() => process.exit(0), STOP_BUDGET_MS).unref();
  await stopAll();
  return 0;
}
