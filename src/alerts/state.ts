// The alerting parts of state.json, read defensively (older, newer or hand-edited files) and written back as plain data.
import { LEVELS, type Level } from '../levels.js';
// kinds.js, not the registry: importing every notifier (and its schema) on each run costs start-up time.
import type { State } from '../state/store.js';
import type { AlertEntry, AlertMessage } from './message.js';

export type MuteKind = 'silence' | 'maintenance';

/** What alerting remembers per check, under `checks[name].alert`. Times are ISO strings. */
export interface CheckAlertState {
  /** Level seen on the check's last run. */
  level?: Level;
  /** Consecutive failing runs (level ≥ alerts.on). */
  failures: number;
  /** Consecutive OK runs. */
  goods: number;
  /** First failing run of this incident; kept until it is over. */
  failing_since?: string;
  /** First OK run of the current good streak: where "down for" ends. */
  ok_since?: string;
  /** Level and message of the last failing run (for flapping and recovered words). */
  failing_level?: Level;
  /** People were told it fails and not yet that it recovered. */
  announced: boolean;
  announced_level?: Level;
  /** Last message about it (announcement, reminder, flapping). */
  notified_at?: string;
  /** Last runs, oldest first: F failing, o OK (UNKNOWN and below-the-bar levels are not counted). */
  recent: string;
  /** Last runs, oldest first: e when a DOWN or RECOVERED was told, . otherwise (for flapping). */
  edges: string;
  flapping: boolean;
  /** Its flapping was told (once per flapping spell). */
  flap_told: boolean;
  /** A silence or maintenance window muted it on its last run: when that ends, what still fails is told. */
  muted: MuteKind | false;
  /** The check's type on its last run: an Alertmanager alert is ended with the labels it fired with, even once the
   * check is gone from the config (src/alerts/refresh.ts). */
  type?: string;
}

export interface Silence {
  id: number;
  /** Check names; empty = every check. */
  checks: string[];
  /** ISO end. */
  until: string;
  created: string;
  reason?: string;
  by?: string;
}

export interface OutboxItem {
  message: AlertMessage;
  /** When it was first tried (the run that made it). */
  first_tried: string;
  attempts: number;
  last_error?: string;
  /** Only these recipients still wait for it (the others accepted or refused it for good); all when absent. */
  recipients?: string[];
  /** When a run handed it over (its last byte went out) without hearing the answer: it is not sent again. */
  handed_over?: string;
}

/** Undelivered messages per channel kind (`email`, `slack`, …): the state does not import the notifiers to know them, the
 * deliver step drops the queue of a kind that is no longer configured (docs/performance.md). */
export type Outbox = Partial<Record<string, OutboxItem[]>>;

/** A key the outbox may use: a channel kind's shape (never `__proto__` or other object magic). */
const CHANNEL_KEY = /^[a-z][a-z0-9_]*$/;

const isLevel = (value: unknown): value is Level =>
  typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function readCheckAlert(raw: unknown): CheckAlertState {
  const r = obj(raw);
  const state: CheckAlertState = {
    failures: count(r.failures),
    goods: count(r.goods),
    announced: r.announced === true,
    recent: typeof r.recent === 'string' ? r.recent.replace(/[^Fo]/g, '').slice(-20) : '',
    edges: typeof r.edges === 'string' ? r.edges.replace(/[^e.]/g, '').slice(-20) : '',
    flapping: r.flapping === true,
    flap_told: r.flap_told === true,
    muted: r.muted === 'silence' || r.muted === 'maintenance' ? r.muted : r.muted === true ? 'silence' : false,
  };
  if (isLevel(r.level)) state.level = r.level;
  if (isLevel(r.failing_level)) state.failing_level = r.failing_level;
  if (isLevel(r.announced_level)) state.announced_level = r.announced_level;
  if (isTime(r.failing_since)) state.failing_since = r.failing_since;
  if (isTime(r.ok_since)) state.ok_since = r.ok_since;
  if (isTime(r.notified_at)) state.notified_at = r.notified_at;
  if (typeof r.type === 'string' && r.type) state.type = r.type;
  return state;
}

/** Per-check alert states of a State, by check name. */
export function readCheckAlerts(state: State): Record<string, CheckAlertState> {
  const out: Record<string, CheckAlertState> = {};
  for (const [name, check] of Object.entries(obj(state.checks))) {
    if (obj(check).alert !== undefined) out[name] = readCheckAlert(obj(check).alert);
  }
  return out;
}

export function readSilences(state: State): Silence[] {
  if (!Array.isArray(state.silences)) return [];
  const silences: Silence[] = [];
  for (const raw of state.silences) {
    const r = obj(raw);
    if (!isTime(r.until)) continue;
    silences.push({
      id: count(r.id),
      checks: Array.isArray(r.checks) ? r.checks.filter((name): name is string => typeof name === 'string') : [],
      until: r.until,
      created: isTime(r.created) ? r.created : new Date(0).toISOString(), // unknown start: in force until it ends
      ...(typeof r.reason === 'string' && r.reason ? { reason: r.reason } : {}),
      ...(typeof r.by === 'string' && r.by ? { by: r.by } : {}),
    });
  }
  return silences;
}

function readEntry(raw: unknown): AlertEntry | undefined {
  const r = obj(raw);
  if (typeof r.check !== 'string' || !isLevel(r.level) || typeof r.message !== 'string') return undefined;
  if (!['down', 'reminder', 'flapping', 'recovered'].includes(r.kind as string)) return undefined;
  return r as unknown as AlertEntry;
}

function readMessage(raw: unknown): AlertMessage | undefined {
  const r = obj(raw);
  if (typeof r.id !== 'string' || typeof r.subject !== 'string' || typeof r.host !== 'string' || !isTime(r.time))
    return undefined;
  if (!['problem', 'recovered', 'test'].includes(r.kind as string) || !Array.isArray(r.entries)) return undefined;
  const entries = r.entries.map(readEntry);
  if (entries.some((entry) => !entry)) return undefined;
  return {
    ...(r as unknown as AlertMessage),
    entries: entries as AlertEntry[],
    log_file: typeof r.log_file === 'string' ? r.log_file : '',
  };
}

/** The per-channel outbox; items that cannot be read are dropped and counted, so the caller can say so. */
export function readOutbox(state: State): { outbox: Outbox; unreadable: number } {
  const raw = obj(state.outbox);
  const outbox: Outbox = {};
  let unreadable = 0;
  for (const [kind, items] of Object.entries(raw)) {
    if (!CHANNEL_KEY.test(kind) || !Array.isArray(items)) {
      unreadable += Array.isArray(items) ? items.length : 1;
      continue;
    }
    const good: OutboxItem[] = [];
    for (const item of items) {
      const r = obj(item);
      const message = readMessage(r.message);
      if (!message) {
        unreadable++;
        continue;
      }
      good.push({
        message,
        first_tried: isTime(r.first_tried) ? r.first_tried : message.time,
        attempts: count(r.attempts),
        ...(typeof r.last_error === 'string' ? { last_error: r.last_error } : {}),
        ...(Array.isArray(r.recipients) && r.recipients.length > 0 && r.recipients.every((x) => typeof x === 'string')
          ? { recipients: r.recipients as string[] }
          : {}),
        ...(isTime(r.handed_over) ? { handed_over: r.handed_over } : {}),
      });
    }
    if (good.length) outbox[kind] = good;
  }
  return { outbox, unreadable };
}

/** A new State with these alert states, silences and outbox; everything else (memory, other sections) kept. */
export function withAlerting(
  state: State,
  alerts: Record<string, CheckAlertState>,
  extra: { silences?: Silence[]; outbox?: Outbox; drop?: readonly string[] },
): State {
  const checks = { ...state.checks };
  for (const [name, alert] of Object.entries(alerts)) checks[name] = { ...checks[name], alert };
  for (const name of extra.drop ?? []) {
    if (!checks[name]) continue;
    const { alert: _gone, ...rest } = checks[name]!;
    checks[name] = rest;
  }
  const next: State = { ...state, checks };
  if (extra.silences) next.silences = extra.silences;
  if (extra.outbox) {
    const kept = Object.fromEntries(Object.entries(extra.outbox).filter(([, items]) => items && items.length > 0));
    if (Object.keys(kept).length) next.outbox = kept;
    else delete next.outbox;
  }
  return next;
}
