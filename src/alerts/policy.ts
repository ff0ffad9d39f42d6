// The alert state machine, pure: (previous state, results, config, now) → (next state, messages). No I/O, no clock.
import { severity, type Level } from '../levels.js';
import type { CheckResult } from '../types.js';
import { localIso } from '../util/time.js';
import { problemSubject, recoveredSubject, type AlertEntry, type AlertMessage, type EntryKind } from './message.js';
import { activeMutes, muteFor, type Mute } from './mutes.js';
import type { AlertsConfig } from './schema.js';
import { readCheckAlert, type CheckAlertState, type Silence } from './state.js';

/**
 * Flapping: the third DOWN/RECOVERED edge within FLAP_WINDOW runs becomes one FLAPPING message instead, and nothing more
 * is said about the check until FLAP_STEADY runs in a row agree (all failing or all OK).
 */
export const FLAP_WINDOW = 10;
export const FLAP_ENTER = 3;
export const FLAP_STEADY = 5;
/** A reminder may go up to this much early: cron starts runs a few hundred ms apart, not to the millisecond. */
const REPEAT_GRACE_MS = 30_000;

export type PolicyConfig = Pick<AlertsConfig, 'on' | 'after' | 'recover_after' | 'repeat' | 'recovery' | 'maintenance'>;

export interface PolicyInput {
  /** Alert state per check from the last runs (missing = never seen). */
  previous: Readonly<Record<string, CheckAlertState>>;
  /** This run's results: only the checks it covered (`--only` leaves the others as they were). */
  results: readonly CheckResult[];
  config: PolicyConfig;
  silences: readonly Silence[];
  /** depends_on of every check in the config, also those this run did not cover. */
  dependsOn: Readonly<Record<string, readonly string[]>>;
  now: Date;
  host: string;
  logFile: string;
}

/** Something that would have been told, held back by a silence or maintenance window. */
export interface MutedEvent {
  check: string;
  kind: EntryKind;
  mute: Mute;
}

export interface PolicyOutput {
  /** New alert state of every covered check. */
  next: Record<string, CheckAlertState>;
  /** At most one RECOVERED and one problem message, in that order. */
  messages: AlertMessage[];
  muted: MutedEvent[];
}

const edgeCount = (edges: string): number => [...edges].filter((c) => c === 'e').length;

export function decide(input: PolicyInput): PolicyOutput {
  const { config, now } = input;
  const nowMs = now.getTime();
  const nowIso = localIso(now);
  const bar: Level = config.on === 'warning' ? 'WARNING' : 'CRITICAL';
  const isFailing = (level: Level) => severity(level) >= severity(bar);
  const mutes = activeMutes(input.silences, config.maintenance, now);
  const resultOf = new Map(input.results.map((result) => [result.name, result]));

  const failingNow = (name: string): boolean => {
    const result = resultOf.get(name);
    if (result) return isFailing(result.level);
    const level = input.previous[name]?.level; // a parent this run did not cover: as it was last seen
    return level !== undefined && isFailing(level);
  };
  /** The failing ancestor a failing check is folded under (the top-most one, so chains fold into their root). */
  const foldTarget = (name: string): string | undefined => {
    const seen = new Set([name]);
    let target: string | undefined;
    for (let current = name; ; ) {
      const parent = (input.dependsOn[current] ?? []).find((p) => !seen.has(p) && failingNow(p));
      if (!parent) return target;
      seen.add(parent);
      target = current = parent;
    }
  };

  const foldedUnder = new Map<string, string[]>();
  for (const result of input.results) {
    if (!isFailing(result.level)) continue;
    const target = foldTarget(result.name);
    if (target) foldedUnder.set(target, [...(foldedUnder.get(target) ?? []), result.name]);
  }

  const next: Record<string, CheckAlertState> = {};
  const problems: AlertEntry[] = [];
  const recovered: AlertEntry[] = [];
  const muted: MutedEvent[] = [];

  for (const result of input.results) {
    const prev = input.previous[result.name] ?? readCheckAlert(undefined);
    const failing = isFailing(result.level);
    const good = result.level === 'OK';
    const s: CheckAlertState = { ...prev, level: result.level };

    // Counters. A level that is neither failing nor OK (UNKNOWN, or WARNING under `on: critical`) tells nothing:
    // it neither extends nor breaks a streak, and never counts as recovered.
    if (failing) {
      if (!prev.announced && prev.failures === 0) s.failing_since = nowIso;
      s.failing_since ??= nowIso;
      s.failures = prev.failures + 1;
      s.goods = 0;
      delete s.ok_since;
      s.failing_level = result.level;
      s.recent = (prev.recent + 'F').slice(-FLAP_WINDOW);
    } else if (good) {
      if (prev.goods === 0) s.ok_since = nowIso;
      s.goods = prev.goods + 1;
      s.failures = 0;
      if (!prev.announced) delete s.failing_since;
      s.recent = (prev.recent + 'o').slice(-FLAP_WINDOW);
    }

    // A flapping check stops flapping after FLAP_STEADY alike runs; its old edges are forgotten then.
    let leftFlapping = false;
    if (prev.flapping && s.recent.length >= FLAP_STEADY && /^(F+|o+)$/.test(s.recent.slice(-FLAP_STEADY))) {
      s.flapping = false;
      s.flap_told = false;
      s.edges = '';
      leftFlapping = true;
    }

    const mute = muteFor(mutes, result.name);
    const foldedInto = failing ? foldTarget(result.name) : undefined;
    let kind: EntryKind | undefined;
    let note: string | undefined;
    if (s.flapping) {
      if (!s.flap_told && !foldedInto) kind = 'flapping';
    } else if (failing && !foldedInto) {
      const notifiedAt = s.notified_at ? Date.parse(s.notified_at) : -Infinity;
      if (!s.announced) {
        if (s.failures >= config.after) kind = 'down';
        if (kind && leftFlapping) note = 'no longer flapping: failing steadily';
        else if (kind && prev.muted && !mute) note = `began while alerts were muted by ${prev.muted === 'silence' ? 'a silence' : 'a maintenance window'}`;
      } else if (s.announced_level && severity(result.level) > severity(s.announced_level)) {
        kind = 'down';
        note = `was ${s.announced_level}`;
      } else if (leftFlapping) {
        kind = 'reminder';
        note = 'no longer flapping: failing steadily';
      } else if (prev.muted && !mute) {
        kind = 'reminder';
        note = prev.muted === 'silence' ? 'still failing now the silence is over' : 'still failing now the maintenance window is over';
      } else if (config.repeat > 0 && nowMs - notifiedAt >= config.repeat - Math.min(REPEAT_GRACE_MS, config.repeat / 10)) {
        kind = 'reminder';
      }
    } else if (good && s.announced && s.goods >= config.recover_after) {
      if (config.recovery) {
        kind = 'recovered';
        if (leftFlapping) note = 'steady again';
      } else {
        clearIncident(s);
      }
    }

    // An edge is a DOWN or RECOVERED that would be told now; the third within the window is told as FLAPPING instead.
    const edge = (kind === 'down' && !s.announced) || kind === 'recovered';
    const earlierEdges = edgeCount(s.edges.slice(1 - FLAP_WINDOW));
    if (edge && !mute && !leftFlapping && earlierEdges >= FLAP_ENTER - 1) {
      kind = 'flapping';
      s.flapping = true;
      s.recent = s.recent.slice(-1); // steady is counted from here on
    }
    if (kind === 'flapping') {
      note = `went down or came back ${earlierEdges + 1} times in its last ${FLAP_WINDOW} runs; nothing more is said about it until it is steady for ${FLAP_STEADY} runs`;
    }
    s.edges = (s.edges + (edge && !mute ? 'e' : '.')).slice(-FLAP_WINDOW);
    s.muted = mute ? mute.kind : false;
    if (kind && mute) {
      // Muted: state keeps moving, nothing is told, and `announced` stays as it was, so what is still failing
      // (or has recovered) when the mute ends is told then.
      muted.push({ check: result.name, kind, mute });
    } else if (kind) {
      const entry: AlertEntry = { check: result.name, kind, level: result.level, message: result.message };
      if (result.hint) entry.hint = result.hint;
      if (s.failing_since) entry.since = s.failing_since;
      if (note) entry.note = note;
      const also = foldedUnder.get(result.name);
      if (also?.length && kind !== 'recovered') entry.also = also;
      if (kind === 'recovered') {
        const end = Date.parse(s.ok_since ?? nowIso);
        const start = Date.parse(s.failing_since ?? '');
        if (Number.isFinite(start)) entry.down_for_ms = Math.max(0, end - start);
        clearIncident(s);
        recovered.push(entry);
      } else {
        if (kind === 'down') s.announced_level = result.level;
        if (kind === 'flapping') {
          s.flap_told = true;
          s.announced_level ??= s.failing_level ?? bar;
          s.failing_since ??= nowIso;
        }
        s.announced = true;
        problems.push(entry);
      }
      s.notified_at = nowIso;
    }
    next[result.name] = s;
  }

  const messages: AlertMessage[] = [];
  const base = { host: input.host, time: nowIso, log_file: input.logFile };
  if (recovered.length) {
    messages.push({ ...base, id: `${now.toISOString()}/recovered`, kind: 'recovered', subject: recoveredSubject(input.host, recovered), entries: recovered });
  }
  if (problems.length) {
    messages.push({ ...base, id: `${now.toISOString()}/problem`, kind: 'problem', subject: problemSubject(input.host, problems), entries: problems });
  }
  return { next, messages, muted };
}

/** The incident is over (told RECOVERED, or recovered with `recovery: false`). */
function clearIncident(s: CheckAlertState): void {
  s.announced = false;
  delete s.announced_level;
  delete s.failing_since;
}
