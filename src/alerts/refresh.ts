// The run's snapshot for channels told every run (Alertmanager): every check firing now, and those that stopped.
import { say } from '../i18n/index.js';
import type { Level } from '../levels.js';
import type { CheckResult } from '../types.js';
import { localIso } from '../util/time.js';
import type { AlertEntry, AlertMessage } from './message.js';
import type { CheckAlertState } from './state.js';

export interface SnapshotInput {
  /** Alert states before this run. */
  previous: Readonly<Record<string, CheckAlertState>>;
  /** Alert states after it, of the checks it covered. */
  next: Readonly<Record<string, CheckAlertState>>;
  /** This run's results, of the checks it covered. */
  results: readonly CheckResult[];
  /** Checks gone from the config: an alert still firing for one is ended. */
  dropped: readonly string[];
  /** This run's DOWN/reminder/RECOVERED messages: a check told DOWN now is new in the snapshot too. */
  told: readonly AlertMessage[];
  now: Date;
  host: string;
  logFile: string;
}

/**
 * Firing while people were told it fails and not yet that it recovered, so `after` and `recover_after` hold here too;
 * a check muted by a silence or maintenance window stops firing (its alert ends) and fires again when told again.
 */
const firing = (s: CheckAlertState | undefined): boolean => s?.announced === true && s.muted === false;

/** The level an alert fires at: the check's own when it fails now, else the level it was announced at. */
function firingLevel(result: CheckResult, s: CheckAlertState): Level {
  if (result.level === 'CRITICAL' || result.level === 'WARNING') return result.level;
  return s.announced_level ?? s.failing_level ?? 'CRITICAL';
}

/** What fires and what stopped firing this run, as one message; undefined when there is neither. */
export function runSnapshot(input: SnapshotInput): AlertMessage | undefined {
  const toldDown = new Set(input.told.flatMap((m) => m.entries.filter((e) => e.kind === 'down').map((e) => e.check)));
  const firingNow: AlertEntry[] = [];
  const ended: AlertEntry[] = [];
  for (const result of input.results) {
    const s = input.next[result.name];
    const base = {
      check: result.name,
      message: result.message,
      type: result.type,
      ...(result.hint ? { hint: result.hint } : {}),
    };
    if (s && firing(s)) {
      firingNow.push({
        ...base,
        kind: toldDown.has(result.name) ? 'down' : 'reminder',
        level: firingLevel(result, s),
        ...(s.failing_since ? { since: s.failing_since } : {}),
      });
    } else if (firing(input.previous[result.name])) {
      const note = s?.muted ? say.alert.notes.mutedBy(s.muted === 'silence') : undefined;
      ended.push({ ...base, kind: 'recovered', level: 'OK', ...(note ? { note } : {}) });
    }
  }
  for (const name of input.dropped) {
    const s = input.previous[name];
    if (firing(s))
      ended.push({
        check: name,
        kind: 'recovered',
        level: 'OK',
        message: 'no longer in the config',
        ...(s?.type ? { type: s.type } : {}),
      });
  }
  if (firingNow.length === 0 && ended.length === 0) return undefined;
  const names = (entries: AlertEntry[]) => entries.map((e) => e.check).join(', ');
  const subject = firingNow.length
    ? `[FIRING] ${input.host}: ${names(firingNow)}${ended.length ? `; resolved: ${names(ended)}` : ''}`
    : `[RESOLVED] ${input.host}: ${names(ended)}`;
  return {
    id: `${input.now.toISOString()}/snapshot`,
    kind: firingNow.length ? 'problem' : 'recovered',
    subject,
    host: input.host,
    time: localIso(input.now),
    entries: [...ended, ...firingNow],
    log_file: input.logFile,
    refresh: true,
  };
}

/**
 * A newer snapshot replaces the queued ones (it says what fires now); the checks they ended and it does not mention
 * are carried over, so an alert ended while the channel was unreachable is still ended when it is back.
 */
export function supersedeSnapshots<T extends { message: AlertMessage }>(
  queue: readonly T[],
  snapshot: AlertMessage,
): { kept: T[]; snapshot: AlertMessage } {
  const named = new Set(snapshot.entries.map((e) => e.check));
  const carried: AlertEntry[] = [];
  const kept: T[] = [];
  for (const item of queue) {
    if (!item.message.refresh) {
      kept.push(item);
      continue;
    }
    for (const entry of item.message.entries) {
      if (entry.kind === 'recovered' && !named.has(entry.check)) {
        named.add(entry.check);
        carried.push(entry);
      }
    }
  }
  return { kept, snapshot: carried.length ? { ...snapshot, entries: [...carried, ...snapshot.entries] } : snapshot };
}
