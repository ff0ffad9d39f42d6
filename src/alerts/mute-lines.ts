// How silences and maintenance windows in force are shown on a terminal (`run`, `silence`).
import { say } from '../i18n/index.js';
import { localStamp } from '../util/time.js';
import type { Mute } from './mutes.js';

export function muteLine(mute: Mute, now: Date): string {
  const left = say.duration(Math.max(0, mute.until.getTime() - now.getTime()));
  return say.mute.inForce(mute.kind === 'silence', localStamp(mute.until), left, mute.checks, mute.reason, mute.by);
}

export function muteLines(mutes: readonly Mute[], now: Date): string {
  return mutes.map((mute) => `${muteLine(mute, now)}\n`).join('');
}
