// What mutes alerts right now: `silence` entries from the state and the config's recurring maintenance windows (local time).
import type { MaintenanceWindow } from './schema.js';
import type { MuteKind, Silence } from './state.js';

export interface Mute {
  kind: MuteKind;
  until: Date;
  /** Check names; empty = every check. */
  checks: string[];
  reason?: string;
  by?: string;
}

const DAY_MS = 86_400_000;

/** When `window` is open at `now`, the moment it closes; otherwise undefined. Days and start are local time. */
export function windowEnd(window: MaintenanceWindow, now: Date): Date | undefined {
  const [hours, minutes] = window.start.split(':').map(Number) as [number, number];
  let end: Date | undefined;
  // A window may have started on an earlier day (Sunday 23:00 for 2h is still open on Monday at 00:30).
  const lookBack = Math.min(7, Math.ceil(window.duration / DAY_MS));
  for (let back = 0; back <= lookBack; back++) {
    const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - back, hours, minutes, 0, 0);
    if (window.days && !window.days.includes(start.getDay())) continue;
    const close = new Date(start.getTime() + window.duration);
    if (start.getTime() <= now.getTime() && now.getTime() < close.getTime() && (!end || close > end)) end = close;
  }
  return end;
}

export function activeMutes(silences: readonly Silence[], windows: readonly MaintenanceWindow[], now: Date): Mute[] {
  const mutes: Mute[] = [];
  for (const silence of silences) {
    const until = new Date(silence.until);
    // in force from when it was made until it ends
    if (until.getTime() <= now.getTime() || Date.parse(silence.created) > now.getTime()) continue;
    mutes.push({
      kind: 'silence',
      until,
      checks: silence.checks,
      ...(silence.reason ? { reason: silence.reason } : {}),
      ...(silence.by ? { by: silence.by } : {}),
    });
  }
  for (const window of windows) {
    const until = windowEnd(window, now);
    if (until)
      mutes.push({
        kind: 'maintenance',
        until,
        checks: window.checks ?? [],
        ...(window.reason ? { reason: window.reason } : {}),
      });
  }
  return mutes;
}

/** The mute covering `check` that lasts longest, if any. */
export function muteFor(mutes: readonly Mute[], check: string): Mute | undefined {
  let found: Mute | undefined;
  for (const mute of mutes) {
    if (mute.checks.length && !mute.checks.includes(check)) continue;
    if (!found || mute.until > found.until) found = mute;
  }
  return found;
}
