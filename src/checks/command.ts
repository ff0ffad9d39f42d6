// `command` check: runs a program without a shell (any Nagios plugin); exit 0/1/2/3 → OK/WARNING/CRITICAL/UNKNOWN.
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { levelFromExitCode } from '../levels.js';
import { parsePerfdata } from '../util/perfdata.js';
import type { CheckResult, PerfDatum } from '../types.js';
import { defineCheck, type CheckMetrics } from './check.js';
import { codeOf, messageOf } from '../util/errors.js';

const MAX_OUTPUT = 64 * 1024;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runProgram(argv: string[], env: Record<string, string>, cwd: string | undefined, signal: AbortSignal): Promise<Finished> {
  return new Promise((resolve, reject) => {
    // detached: the child leads its own process group, so a timeout kills the plugin and everything it started.
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, ...env },
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    signal.addEventListener('abort', killGroup, { once: true });
    child.once('error', (error) => {
      signal.removeEventListener('abort', killGroup);
      reject(error);
    });
    child.once('close', (code, exitSignal) => {
      signal.removeEventListener('abort', killGroup);
      resolve({ code, signal: exitSignal, stdout, stderr });
    });
  });
}

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
  return { message, perfText: perfParts.map((part) => part.trim()).filter(Boolean).join(' ') };
}

/** Prometheus: every number the plugin printed after `|`, labelled with the plugin's own label and unit. */
const commandMetrics: CheckMetrics = {
  families: { check_perfdata: 'Performance data a command check (Nagios plugin) printed after |, in its own unit.' },
  samples: (result) =>
    (result.perf ?? []).map((datum) => ({ family: 'check_perfdata', labels: { check: result.name, label: datum.label, uom: datum.uom ?? '' }, value: datum.value })),
};

/** Nagios: a plugin's labels get the check's name in front (`root:/`), so two plugins that both say `/` stay apart. */
const pluginPerf = (result: CheckResult): PerfDatum[] => (result.perf ?? []).map((datum) => ({ ...datum, label: `${result.name}:${datum.label}` }));

export const command = defineCheck({
  type: 'command',
  metrics: commandMetrics,
  nagiosPerf: pluginPerf,
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      command: z.array(z.string()).min(1, 'must name the program: command: [/usr/lib/nagios/plugins/check_disk, -w, 20%]'),
      env: z.record(z.string(), z.string()).default({}),
      cwd: z.string().optional(),
    });
  },
  timeoutLevel: 'UNKNOWN',
  startsProcess: true,
  async run(cfg, ctx) {
    let finished: Finished;
    try {
      finished = await runProgram(cfg.command, cfg.env, cfg.cwd, ctx.signal);
    } catch (error) {
      const code = codeOf(error);
      const why = code === 'ENOENT' ? `${cfg.command[0]} not found` : code === 'EACCES' ? `${cfg.command[0]} is not executable` : messageOf(error);
      return { level: 'UNKNOWN', message: why };
    }
    const output = finished.stdout.trim() ? finished.stdout : finished.stderr;
    const { message, perfText } = parsePluginOutput(output);
    const level = levelFromExitCode(finished.code);
    const perf = parsePerfdata(perfText);
    const details = { exit_code: finished.code, ...(perfText ? { perfdata: perfText } : {}) };
    if (!level) {
      const how = finished.signal ? `killed by ${finished.signal}` : `exit code ${finished.code}`;
      return { level: 'UNKNOWN', message: `${message || cfg.command[0]} (${how}, expected 0-3)`, details, perf };
    }
    const text = message || `exit code ${finished.code}`;
    // The log keeps the plugin's perfdata as Nagios shows it, so `grep` finds the numbers behind a level too.
    return { level, message: text, ...(perfText ? { logMessage: `${text} | ${perfText}` } : {}), details, perf };
  },
});
