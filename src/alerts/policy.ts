// The alert state machine, pure: (previous state, results, config, now) → (next state, messages). No I/O, no clock.
import { say } from '../i18n/index.js';
import type { CheckTarget } from '../checks/target.js';
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
  /** What each check looks at (masked), named in its entry when its message does not say it. */
  targets?: Readonly<Record<string, CheckTarget | undefined>>;
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

/** What the decision knows about the run as a whole, worked out once: the bar, the mutes, what folds under what. */
interface RunView {
  config: PolicyConfig;
  nowMs: number;
  nowIso: string;
  bar: Level;
  isFailing(level: Level): boolean;
  mutes: ReturnType<typeof activeMutes>;
  /** The failing ancestor a failing check is folded under (the top-most one, so chains fold into their root). */
  foldTarget(name: string): string | undefined;
  /** Per check told about, the failing checks folded under it (they are named in its entry, not told apart). */
  foldedUnder: Map<string, string[]>;
  targets: Readonly<Record<string, CheckTarget | undefined>>;
}

/** What one check's entry will say this run (nothing when `kind` is undefined). */
interface Told {
  kind?: EntryKind | undefined;
  note?: string | undefined;
}

/** What the messages are made of: the entries told and the events held back. */
interface Tally {
  problems: AlertEntry[];
  recovered: AlertEntry[];
  muted: MutedEvent[];
}

export function decide(input: PolicyInput): PolicyOutput {
  const view = viewOf(input);
  const next: Record<string, CheckAlertState> = {};
  const tally: Tally = { problems: [], recovered: [], muted: [] };
  for (const result of input.results) {
    const prev = input.previous[result.name] ?? readCheckAlert(undefined);
    const s = countRun(prev, result, view);
    const leftFlapping = leaveFlapping(prev, s);
    const mute = muteFor(view.mutes, result.name);
    const told = countEdge(s, whatToTell(prev, s, result, view, mute, leftFlapping), mute, leftFlapping);
    s.muted = mute ? mute.kind : false;
    if (told.kind && mute) {
      // Muted: state keeps moving, nothing is told, and `announced` stays as it was, so what is still failing
      // (or has recovered) when the mute ends is told then.
      tally.muted.push({ check: result.name, kind: told.kind, mute });
    } else if (told.kind) {
      tell(s, result, { kind: told.kind, note: told.note }, view, tally);
    }
    next[result.name] = s;
  }
  return { next, messages: messagesOf(input, view, tally), muted: tally.muted };
}

function viewOf(input: PolicyInput): RunView {
  const { config, now } = input;
  const bar: Level = config.on === 'warning' ? 'WARNING' : 'CRITICAL';
  const isFailing = (level: Level) => severity(level) >= severity(bar);
  const resultOf = new Map(input.results.map((result) => [result.name, result]));
  const failingNow = (name: string): boolean => {
    const result = resultOf.get(name);
    if (result) return isFailing(result.level);
    const level = input.previous[name]?.level; // a parent this run did not cover: as it was last seen
    return level !== undefined && isFailing(level);
  };
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
  const mutes = activeMutes(input.silences, config.maintenance, now);
  const targets = input.targets ?? {};
  return {
    config,
    nowMs: now.getTime(),
    nowIso: localIso(now),
    bar,
    isFailing,
    mutes,
    foldTarget,
    foldedUnder,
    targets,
  };
}

/**
 * The check's counters after this run. A level that is neither failing nor OK (UNKNOWN, or WARNING under
 * `on: critical`) tells nothing: it neither extends nor breaks a streak, and never counts as recovered.
 */
function countRun(prev: CheckAlertState, result: CheckResult, view: RunView): CheckAlertState {
  const { nowIso } = view;
  const s: CheckAlertState = { ...prev, level: result.level, type: result.type };
  if (view.isFailing(result.level)) {
    if (!prev.announced && prev.failures === 0) s.failing_since = nowIso;
    s.failing_since ??= nowIso;
    s.failures = prev.failures + 1;
    s.goods = 0;
    delete s.ok_since;
    s.failing_level = result.level;
    s.recent = (prev.recent + 'F').slice(-FLAP_WINDOW);
  } else if (result.level === 'OK') {
    if (prev.goods === 0) s.ok_since = nowIso;
    s.goods = prev.goods + 1;
    s.failures = 0;
    if (!prev.announced) delete s.failing_since;
    s.recent = (prev.recent + 'o').slice(-FLAP_WINDOW);
  }
  return s;
}

/** A flapping check stops flapping after FLAP_STEADY alike runs; its old edges are forgotten then. True when it just did. */
function leaveFlapping(prev: CheckAlertState, s: CheckAlertState): boolean {
  if (!prev.flapping || s.recent.length < FLAP_STEADY || !/^(F+|o+)$/.test(s.recent.slice(-FLAP_STEADY))) return false;
  s.flapping = false;
  s.flap_told = false;
  s.edges = '';
  return true;
}

/** What this run would tell about the check, mutes aside: DOWN, a reminder, RECOVERED, FLAPPING or nothing. */
function whatToTell(
  prev: CheckAlertState,
  s: CheckAlertState,
  result: CheckResult,
  view: RunView,
  mute: Mute | undefined,
  leftFlapping: boolean,
): Told {
  const { config } = view;
  const failing = view.isFailing(result.level);
  const foldedInto = failing ? view.foldTarget(result.name) : undefined;
  if (s.flapping) return !s.flap_told && !foldedInto ? { kind: 'flapping' } : {};
  if (failing && !foldedInto) {
    const notifiedAt = s.notified_at ? Date.parse(s.notified_at) : -Infinity;
    if (!s.announced) {
      if (s.failures < config.after) return {};
      if (leftFlapping) return { kind: 'down', note: say.alert.notes.steadilyFailing };
      if (prev.muted && !mute) return { kind: 'down', note: say.alert.notes.beganWhileMuted(prev.muted === 'silence') };
      return { kind: 'down' };
    }
    if (s.announced_level && severity(result.level) > severity(s.announced_level))
      return { kind: 'down', note: say.alert.notes.was(s.announced_level) };
    if (leftFlapping) return { kind: 'reminder', note: say.alert.notes.steadilyFailing };
    if (prev.muted && !mute) {
      return { kind: 'reminder', note: say.alert.notes.stillFailingAfterMute(prev.muted === 'silence') };
    }
    if (config.repeat > 0 && view.nowMs - notifiedAt >= config.repeat - Math.min(REPEAT_GRACE_MS, config.repeat / 10))
      return { kind: 'reminder' };
    return {};
  }
  if (result.level === 'OK' && s.announced && s.goods >= config.recover_after) {
    if (config.recovery)
      return leftFlapping ? { kind: 'recovered', note: say.alert.notes.steadyAgain } : { kind: 'recovered' };
    clearIncident(s);
  }
  return {};
}

/** An edge is a DOWN or RECOVERED that would be told now; the third within the window is told as FLAPPING instead. */
function countEdge(s: CheckAlertState, told: Told, mute: Mute | undefined, leftFlapping: boolean): Told {
  let { kind, note } = told;
  const edge = (kind === 'down' && !s.announced) || kind === 'recovered';
  const earlierEdges = edgeCount(s.edges.slice(1 - FLAP_WINDOW));
  if (edge && !mute && !leftFlapping && earlierEdges >= FLAP_ENTER - 1) {
    kind = 'flapping';
    s.flapping = true;
    s.recent = s.recent.slice(-1); // steady is counted from here on
  }
  if (kind === 'flapping') {
    note = say.alert.notes.flapping(earlierEdges + 1, FLAP_WINDOW, FLAP_STEADY);
  }
  s.edges = (s.edges + (edge && !mute ? 'e' : '.')).slice(-FLAP_WINDOW);
  return { kind, note };
}

/** The check's entry goes into this run's RECOVERED or problem message, and its state remembers it was told. */
function tell(
  s: CheckAlertState,
  result: CheckResult,
  told: { kind: EntryKind; note: string | undefined },
  view: RunView,
  tally: Tally,
): void {
  const { kind, note } = told;
  const { nowIso } = view;
  const entry: AlertEntry = { check: result.name, kind, level: result.level, message: result.message };
  if (result.hint) entry.hint = result.hint;
  const target = view.targets[result.name];
  if (target && !result.message.includes(target.value)) entry.target = `${target.key}: ${target.value}`;
  if (s.failing_since) entry.since = s.failing_since;
  if (note) entry.note = note;
  const also = view.foldedUnder.get(result.name);
  if (also?.length && kind !== 'recovered') entry.also = also;
  if (kind === 'recovered') {
    const end = Date.parse(s.ok_since ?? nowIso);
    const start = Date.parse(s.failing_since ?? '');
    if (Number.isFinite(start)) entry.down_for_ms = Math.max(0, end - start);
    clearIncident(s);
    tally.recovered.push(entry);
  } else {
    if (kind === 'down') s.announced_level = result.level;
    if (kind === 'flapping') {
      s.flap_told = true;
      s.announced_level ??= s.failing_level ?? view.bar;
      s.failing_since ??= nowIso;
    }
    s.announced = true;
    tally.problems.push(entry);
  }
  s.notified_at = nowIso;
}

/** At most one RECOVERED and one problem message, in that order. */
function messagesOf(input: PolicyInput, view: RunView, tally: Tally): AlertMessage[] {
  const messages: AlertMessage[] = [];
  const base = { host: input.host, time: view.nowIso, log_file: input.logFile };
  const id = input.now.toISOString();
  if (tally.recovered.length) {
    messages.push({
      ...base,
      id: `${id}/recovered`,
      kind: 'recovered',
      subject: recoveredSubject(input.host, tally.recovered),
      entries: tally.recovered,
    });
  }
  if (tally.problems.length) {
    messages.push({
      ...base,
      id: `${id}/problem`,
      kind: 'problem',
      subject: problemSubject(input.host, tally.problems),
      entries: tally.problems,
    });
  }
  return messages;
}

/** The incident is over (told RECOVERED, or recovered with `recovery: false`). */
function clearIncident(s: CheckAlertState): void {
  s.announced = false;
  delete s.announced_level;
  delete s.failing_since;
}
