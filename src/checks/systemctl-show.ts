// One `systemctl show` for every systemd check of a run: the first check to ask starts it, the others share the answer.
import { say } from '../i18n/index.js';
import type { CommonCheckFields, RunScope } from './check.js';
import { runProgram } from './program.js';

export const PROPERTIES =
  'Id,LoadState,ActiveState,SubState,Result,NRestarts,ActiveEnterTimestamp,StateChangeTimestamp';
// A real unit's answer to PROPERTIES is under 1 KiB; 8 KiB per unit asked leaves room, and still caps the read.
const BYTES_PER_UNIT = 8 * 1024;

export type UnitProperties = Record<string, string>;

export interface ShowAnswer {
  /** Properties by unit name as the check named it, or the reason systemctl could not tell. */
  units: Map<string, UnitProperties | Error>;
}

/** `KEY=value` lines of one unit. */
export function parseShowOutput(stdout: string): UnitProperties {
  const props: UnitProperties = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return props;
}

/** `systemctl show A B C` prints one block per unit named, in that order, separated by a blank line. */
export function splitUnits(stdout: string): string[] {
  return stdout
    .replace(/\r/g, '')
    .split(/\n[ \t]*\n/)
    .filter((block) => block.trim() !== '');
}

async function show(units: readonly string[], signal: AbortSignal): Promise<string[]> {
  // No shell, and `--` ends the options: with the strict unit-name pattern of the systemd check, nothing reaches
  // systemctl that it could read as an option.
  const argv = ['systemctl', 'show', `--property=${PROPERTIES}`, '--no-pager', '--', ...units];
  const run = await runProgram(argv, {
    env: { LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' },
    maxBuffer: BYTES_PER_UNIT * units.length,
    signal,
  });
  if (run.spawnError)
    throw new Error(
      run.spawnError.code === 'ENOENT' ? say.check.systemd.notOnPath : `systemctl: ${run.spawnError.message}`,
    );
  if (run.stopped) throw new Error('systemctl show was stopped before it answered');
  if (run.truncated) throw new Error(say.check.systemd.tooLong(BYTES_PER_UNIT / 1024));
  if (run.exitCode !== 0) {
    const firstLine =
      run.stderr.trim().split('\n')[0] ||
      (run.signal ? say.check.command.killedBy(run.signal) : say.check.command.exitCode(String(run.exitCode)));
    throw new Error(say.check.systemd.failed(firstLine.slice(0, 200)));
  }
  return splitUnits(run.stdout);
}

/** Ask for all units at once; if that fails (one unit systemctl refuses fails the whole call), ask each on its own. */
async function showAll(units: readonly string[], signal: AbortSignal): Promise<ShowAnswer> {
  const answer: ShowAnswer = { units: new Map() };
  try {
    const blocks = await show(units, signal);
    if (blocks.length !== units.length) throw new Error(say.check.systemd.partial(blocks.length, units.length));
    for (const [i, unit] of units.entries()) answer.units.set(unit, parseShowOutput(blocks[i]!));
    return answer;
  } catch (error) {
    if (units.length === 1 || signal.aborted) {
      for (const unit of units) answer.units.set(unit, error as Error);
      return answer;
    }
  }
  const each = await Promise.all(units.map((unit) => showAll([unit], signal)));
  for (const one of each) for (const [unit, props] of one.units) answer.units.set(unit, props);
  return answer;
}

const batches = new WeakMap<RunScope, Promise<ShowAnswer>>();

/**
 * The answer for every systemd check of the run (or for `unit` alone when the check runs outside a run). The shared
 * call is bounded by the run's deadline and by the longest timeout among those checks; each check still answers by
 * its own timeout (the engine sees to that).
 */
export function unitsOf(run: RunScope | undefined, unit: string, own: { signal: AbortSignal }): Promise<ShowAnswer> {
  if (!run) return showAll([unit], own.signal);
  let batch = batches.get(run);
  if (!batch) {
    const checks = run.checks.filter(
      (check): check is CommonCheckFields & { unit: string } =>
        check.type === 'systemd' && typeof (check as { unit?: unknown }).unit === 'string',
    );
    const units = [...new Set([unit, ...checks.map((check) => check.unit)])];
    const longest = Math.max(0, ...checks.map((check) => check.timeout));
    // The run's deadline or the longest timeout, whichever comes first (AbortSignal.any needs Node 20.3).
    const stop = new AbortController();
    const abort = () => stop.abort();
    const timer = setTimeout(abort, longest);
    timer.unref();
    if (run.signal.aborted) abort();
    else run.signal.addEventListener('abort', abort, { once: true });
    batch = showAll(units, stop.signal).finally(() => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', abort);
    });
    batches.set(run, batch);
  }
  return batch;
}
