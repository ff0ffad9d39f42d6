// `command` check: runs a program without a shell (any Nagios plugin); exit 0/1/2/3 → OK/WARNING/CRITICAL/UNKNOWN.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import { levelFromExitCode } from '../levels.js';
import { parsePerfdata } from '../util/perfdata.js';
import { round1 } from '../util/time.js';
import type { CheckResult, PerfDatum } from '../types.js';
import { defineCheck, type CheckMetrics } from './check.js';
import { runProgram } from './program.js';

// Nagios itself keeps 8 KiB of a plugin's output; 64 KiB per stream leaves room for long output and perfdata.
const MAX_OUTPUT = 64 * 1024;

/** Split Nagios plugin output into the first line's text and all perfdata (after `|` on any line). */
export function parsePluginOutput(output: string): { message: string; perfText: string } {
  const lines = output.replace(/\r/g, '').split('\n');
  const [first = '', ...rest] = lines;
  const bar = first.indexOf('|');
  const message = (bar >= 0 ? first.slice(0, bar) : first).trim();
  const perfParts = bar >= 0 ? [first.slice(bar + 1)] : [];
  // Long output may carry more perfdata after a `|` on a later line, and every line after it is perfdata.
  const longBar = rest.findIndex((line) => line.includes('|'));
  if (longBar >= 0) {
    const line = rest[longBar]!;
    perfParts.push(line.slice(line.indexOf('|') + 1), ...rest.slice(longBar + 1));
  }
  // Each part trimmed so `a=1 | b=2` and trailing lines join with single spaces.
  return {
    message,
    perfText: perfParts
      .map((part) => part.trim())
      .filter(Boolean)
      .join(' '),
  };
}

/** Prometheus: every number the plugin printed after `|`, labelled with the plugin's own label and unit. */
const commandMetrics: CheckMetrics = {
  families: { check_perfdata: 'Performance data a command check (Nagios plugin) printed after |, in its own unit.' },
  samples: (result) =>
    (result.perf ?? []).map((datum) => ({
      family: 'check_perfdata',
      labels: { check: result.name, label: datum.label, uom: datum.uom ?? '' },
      value: datum.value,
    })),
};

/** Nagios: a plugin's labels get the check's name in front (`root:/`), so two plugins that both say `/` stay apart. */
const pluginPerf = (result: CheckResult): PerfDatum[] =>
  (result.perf ?? []).map((datum) => ({ ...datum, label: `${result.name}:${datum.label}` }));

export const command = defineCheck({
  type: 'command',
  metrics: commandMetrics,
  nagiosPerf: pluginPerf,
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      command: z
        .array(z.string())
        .min(1, 'must name the program: command: [/usr/lib/nagios/plugins/check_disk, -w, 20%]'),
      env: z.record(z.string(), z.string()).default({}),
      cwd: z.string().optional(),
    });
  },
  timeoutLevel: 'UNKNOWN',
  startsProcess: true,
  async run(cfg, ctx) {
    const finished = await runProgram(cfg.command, {
      env: cfg.env,
      ...(cfg.cwd ? { cwd: cfg.cwd } : {}),
      maxBuffer: MAX_OUTPUT,
      signal: ctx.signal,
    });
    const program = cfg.command[0]!;
    if (finished.spawnError) {
      const code = finished.spawnError.code;
      const why =
        code === 'ENOENT'
          ? say.check.command.notFound(program)
          : code === 'EACCES'
            ? say.check.command.notExecutable(program)
            : finished.spawnError.message;
      return { level: 'UNKNOWN', message: why };
    }
    // response_time_ms is the program's own wall time (docs/checks-timing.md); durationMs also holds our start-up.
    const wallMs = round1(finished.wallMs);
    if (finished.stopped) {
      // The engine has answered already (timeout or deadline); this is for anyone who awaits the check itself.
      return { level: 'UNKNOWN', message: say.check.command.stopped(program), responseTimeMs: wallMs };
    }
    const output = finished.stdout.trim() ? finished.stdout : finished.stderr;
    const { message, perfText } = parsePluginOutput(output);
    const perf = parsePerfdata(perfText);
    const details = { exit_code: finished.exitCode ?? null, ...(perfText ? { perfdata: perfText } : {}) };
    if (finished.truncated) {
      // Stopped at the cap: its exit code is ours (SIGKILL), not the plugin's verdict.
      const text = say.check.command.tooMuchOutput(message || program, MAX_OUTPUT / 1024);
      return { level: 'UNKNOWN', message: text, responseTimeMs: wallMs, details, perf };
    }
    const level = levelFromExitCode(finished.exitCode ?? null);
    if (!level) {
      const how = finished.signal
        ? say.check.command.killedBy(finished.signal)
        : say.check.command.exitCode(String(finished.exitCode));
      return {
        level: 'UNKNOWN',
        message: say.check.command.badExit(message || program, how),
        responseTimeMs: wallMs,
        details,
        perf,
      };
    }
    const text = message || say.check.command.exitCode(String(finished.exitCode));
    // The log keeps the plugin's perfdata as Nagios shows it, so `grep` finds the numbers behind a level too.
    return {
      level,
      message: text,
      ...(perfText ? { logMessage: `${text} | ${perfText}` } : {}),
      responseTimeMs: wallMs,
      details,
      perf,
    };
  },
});
