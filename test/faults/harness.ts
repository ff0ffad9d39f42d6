// Runs one fault scenario: the built binary as `run --format nagios` with a 4 s deadline under /usr/bin/time -v, and
// judges it against the run-level promises of docs/reliability.md. Shared by the tests and the table script.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCode } from '../../src/levels.js';
import { BIN, baseEnv, ensureBuilt } from '../helpers/cli.js';
import type { Scenario } from './scenarios.js';

export const DEADLINE_MS = 4000;
/** The promise: the process has exited by the deadline plus this. */
export const EXIT_GRACE_MS = 1000;
export const RSS_LIMIT_MIB = 256;

export interface Outcome {
  code: number | null;
  wallMs: number;
  peakMiB: number | undefined;
  stdout: string;
  stderr: string;
  log: string;
  /** Whether the run ended by itself or its watchdog ended it (docs/reliability.md). */
  endedBy: 'run' | 'watchdog';
  /** Every promise the run broke, one line each; empty when it kept them all. */
  problems: string[];
}

// A JavaScript stack frame ("    at fn (file:1:2)") or Node's own source: what must never reach the operator.
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|node:internal\//m;

export async function runScenario(scenario: Scenario): Promise<Outcome> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nhc-fault-'));
  const setup = await scenario.setup(dir);
  try {
    const config = join(dir, 'config.yml');
    const log = join(dir, 'health.log');
    writeFileSync(
      config,
      [
        `log_file: ${log}`,
        `state_dir: ${join(dir, 'state')}`,
        `deadline: ${DEADLINE_MS}ms`,
        'checks:',
        // The healthy companion: its line must be in the log whatever the target does.
        '  - { name: root-disk, type: disk, path: /, warning: 99, critical: 100 }',
        `  - ${setup.check}`,
        ...(setup.extra ?? []),
        '',
      ].join('\n'),
    );
    const timeFile = join(dir, 'time.txt');
    const run = await timed([
      '-v',
      '-o',
      timeFile,
      process.execPath,
      BIN,
      'run',
      '--format',
      'nagios',
      '--config',
      config,
    ]);
    const peakKiB = /Maximum resident set size \(kbytes\): (\d+)/.exec(readText(timeFile))?.[1];
    const seen = { stdout: run.stdout, stderr: run.stderr, log: readText(log) };
    const endedBy = /stopped by its watchdog/.test(run.stderr) ? 'watchdog' : 'run';
    const outcome: Outcome = {
      ...run,
      ...seen,
      endedBy,
      peakMiB: peakKiB ? Number(peakKiB) / 1024 : undefined,
      problems: [],
    };
    outcome.problems = [...judge(scenario, outcome), ...(setup.verify?.(seen) ?? [])];
    return outcome;
  } finally {
    await setup.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function judge(scenario: Scenario, outcome: Outcome): string[] {
  const problems: string[] = [];
  const limit = DEADLINE_MS + EXIT_GRACE_MS;
  if (outcome.wallMs > limit)
    problems.push(`exited after ${Math.round(outcome.wallMs)} ms, more than deadline + 1 s (${limit} ms)`);
  if (outcome.code !== exitCode(scenario.expected))
    problems.push(`exit code ${outcome.code}, not ${exitCode(scenario.expected)} (${scenario.expected})`);
  const first = outcome.stdout.split('\n')[0] ?? '';
  if (!first.startsWith(`${scenario.expected} - `)) problems.push(`nagios line "${first}" is not ${scenario.expected}`);
  for (const [name, text] of [
    ['stdout', outcome.stdout],
    ['stderr', outcome.stderr],
  ] as const) {
    if (STACK_TRACE.test(text)) problems.push(`a stack trace on ${name}: ${text.slice(0, 300)}`);
  }
  for (const line of ['root-disk: ', 'target: ']) {
    if (!outcome.log.includes(line)) problems.push(`the log has no "${line.trim()}" line`);
  }
  // The last line says how the run ended: by itself, or by its watchdog (which writes that line itself).
  if (!/Health check (finished|stopped by its watchdog)/.test(outcome.log))
    problems.push('the log has no closing line');
  if (outcome.peakMiB === undefined) problems.push('no peak RSS from /usr/bin/time -v');
  else if (outcome.peakMiB > RSS_LIMIT_MIB)
    problems.push(`peak RSS ${outcome.peakMiB.toFixed(0)} MiB, more than ${RSS_LIMIT_MIB} MiB`);
  return problems;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * /usr/bin/time with `args`; the wall time is until the program exits. Output is collected until its pipes close, or
 * 500 ms after the exit: a child that escaped the run (the setsid scenario) may hold them open much longer.
 */
function timed(args: string[]): Promise<{ code: number | null; wallMs: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', args, { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - started;
      const done = () => resolve({ code, wallMs, stdout, stderr });
      const late = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        done();
      }, 500);
      child.once('close', () => {
        clearTimeout(late);
        done();
      });
    });
  });
}
