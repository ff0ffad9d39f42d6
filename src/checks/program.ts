// Runs a program for a check through execa: no shell, output capped, and nothing it started outlives the check.
//
// Why more than a process-group kill (docs/programs.md): a plugin may fork a child that calls setsid() and keeps the
// stdout pipe open; that child is in no group we know. Every program gets a random marker in its environment, which
// its descendants inherit; stopping the program kills every process under /proc whose environment carries it.
import { readdirSync, readFileSync } from 'node:fs';
import { randomName } from '../util/safe-file.js';

/** The environment variable that marks every process a check started (and their descendants). */
export const MARK_VARIABLE = 'NEURONOVA_HEALTH_CHECK_CHILD';
/** How long after the program's exit its output pipes may stay open (held by a child it left behind). */
const PIPES_GRACE_MS = 200;
/** How long after a kill we wait for execa to collect what was read, before answering without it. */
const SETTLE_MS = 100;

export interface ProgramRun {
  /** Exit code, or undefined when a signal ended it (or it never started). */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** Output went past maxBuffer: the program was stopped and what it said is cut at the cap. */
  truncated: boolean;
  /** Stopped by the check's timeout, the run's deadline or SIGTERM (the AbortSignal). */
  stopped: boolean;
  /** Wall time of the program in ms: from the spawn call to its exit. */
  wallMs: number;
  /** The spawn failed: ENOENT, EACCES… */
  spawnError?: NodeJS.ErrnoException;
}

export interface ProgramOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Bytes kept from stdout and from stderr; more stops the program. */
  maxBuffer: number;
  signal: AbortSignal;
}

// execa (~110 KB minified with its dependencies) is loaded by the first check that starts a program, never by a run
// without one; the build bundles it into its own chunk (scripts/build.mjs) so nothing is resolved from node_modules.
let execaModule: Promise<typeof import('execa')> | undefined;
export const loadExeca = () => (execaModule ??= import('execa'));
/** The execa import if a check of this run has asked for it (under way or done); undefined when none has. */
export const execaRequested = (): Promise<unknown> | undefined => execaModule;

/** Markers of programs that may still have processes: killed when this process exits, whatever the reason. */
const liveMarks = new Set<string>();
let exitHookInstalled = false;

function needle(mark: string): Buffer {
  return Buffer.from(`${MARK_VARIABLE}=${mark}\0`);
}

/**
 * SIGKILL every process whose environment carries `mark`; returns how many were found. Synchronous on purpose: it
 * runs from an abort listener or the 'exit' event, where nothing asynchronous would finish. A process that replaced
 * its whole environment escapes this (the process-group kill still reaches it unless it also called setsid()).
 */
export function killMarked(mark: string): number {
  const wanted = needle(mark);
  let found = 0;
  // A marked process may fork while we look: go round again until a pass finds none (at most a few).
  for (let pass = 0; pass < 5; pass++) {
    let thisPass = 0;
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return found; // no /proc: the group kill is all there is
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      let environ: Buffer;
      try {
        environ = readFileSync(`/proc/${entry}/environ`);
      } catch {
        continue; // gone, or not ours to read (then not ours to kill either)
      }
      if (environ.indexOf(wanted) === -1) continue;
      try {
        process.kill(Number(entry), 'SIGKILL');
        thisPass++;
      } catch {
        // exited meanwhile
      }
    }
    found += thisPass;
    if (thisPass === 0) break;
  }
  return found;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** Stop everything a program started: its process group, then every process carrying its marker. */
function stopAll(pid: number | undefined, mark: string): void {
  killGroup(pid);
  killMarked(mark);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A run that exits while a program runs (deadline watchdog, SIGTERM) leaves none of it behind.
  process.on('exit', () => {
    for (const mark of liveMarks) killMarked(mark);
  });
}

/**
 * Run `argv` without a shell and answer by `options.signal` at the latest, whatever the program or its children do
 * with their pipes. Never rejects.
 */
export async function runProgram(argv: readonly string[], options: ProgramOptions): Promise<ProgramRun> {
  const { execa } = await loadExeca();
  // random from the same pool as temp names: node:crypto would cost ~2 ms of start-up on the cron path
  const mark = `${process.pid}-${randomName()}`;
  installExitHook();
  liveMarks.add(mark);

  let stopped = false;
  let exitedAt: number | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let done = false;
  let answerWithout: (() => void) | undefined;
  // Resolves when we give up waiting for execa to collect the output (a pipe that never closes).
  const gaveUp = new Promise<'gave-up'>((resolve) => (answerWithout = () => resolve('gave-up')));

  const started = performance.now();
  const subprocess = execa(argv[0]!, argv.slice(1), {
    env: { ...options.env, [MARK_VARIABLE]: mark },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    // Its own process group: one kill reaches the program and every child that did not leave the group.
    detached: true,
    stdin: 'ignore',
    maxBuffer: options.maxBuffer,
    encoding: 'utf8',
    stripFinalNewline: false,
    reject: false,
    killSignal: 'SIGKILL',
    forceKillAfterDelay: false,
  });
  const pid = subprocess.pid;

  // Once the output pipes must be let go of: kill whatever holds them, then let execa collect what was read; if a
  // holder escaped the kill, close our ends ourselves and answer without waiting any longer.
  const letGo = () => {
    if (done) return;
    stopAll(pid, mark);
    settleTimer ??= setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      setTimeout(() => answerWithout?.(), SETTLE_MS).unref();
    }, SETTLE_MS);
    settleTimer.unref();
  };
  const onAbort = () => {
    stopped = true;
    letGo();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  subprocess.once('exit', () => {
    exitedAt = performance.now();
    // The program is done; a child it left behind may hold stdout open. Give the pipes a moment, then let go.
    graceTimer = setTimeout(letGo, PIPES_GRACE_MS);
    graceTimer.unref();
  });

  const outcome = await Promise.race([subprocess, gaveUp]);
  done = true;
  options.signal.removeEventListener('abort', onAbort);
  clearTimeout(settleTimer);
  clearTimeout(graceTimer);
  const wallMs = (exitedAt ?? performance.now()) - started;
  liveMarks.delete(mark);

  if (outcome === 'gave-up') {
    return { exitCode: undefined, signal: 'SIGKILL', stdout: '', stderr: '', truncated: false, stopped: true, wallMs };
  }
  const result = outcome;
  // Output past the cap stopped the program (execa sent SIGKILL to it); its group and marked children go too.
  if (result.isMaxBuffer) stopAll(pid, mark);
  const spawnError =
    result.failed && result.exitCode === undefined && !result.signal && !result.isCanceled && !result.isMaxBuffer
      ? ((result.cause as NodeJS.ErrnoException | undefined) ?? undefined)
      : undefined;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    truncated: result.isMaxBuffer,
    stopped: stopped || result.isCanceled,
    wallMs,
    ...(spawnError ? { spawnError } : {}),
  };
}
