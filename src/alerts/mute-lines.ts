// How silences and maintenance windows in force are shown on a terminal (`run`, `silence`).
import { formatDuration } from '../util/duration.js';
import { localStamp } from '../util/time.js';
import type { Mute } from './mutes.js';

export function muteLine(mute: Mute, now: Date): string {
  const what = mute.kind === 'silence' ? 'Alerts silenced' : 'Maintenance window';
  const left = formatDuration(Math.max(0, mute.until.getTime() - now.getTime()));
  const scope = mute.checks.length ? mute.checks.join(', ') : 'all checks';
  const why = [mute.reason, mute.by ? `by ${mute.by}` : ''].filter(Boolean).join(', ');
  return `${what} until ${localStamp(mute.until)} (${left} left) for ${scope}${why ? ` — ${why}` : ''}`;
}

export function muteLines(mutes: readonly Mute[], now: Date): string {
  return mutes.map((mute) => `${muteLine(mute, now)}\n`).join('');
}
