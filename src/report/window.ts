// The report's time window from `--since`: 24h, 7d, 30d, 90d, or any other duration of at least a minute.
import { say } from '../i18n/index.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';

export interface Window {
  since: string;
  fromMs: number;
  toMs: number;
}

export function parseWindow(since: string | undefined, nowMs: number): Window {
  const text = (since ?? '24h').trim();
  const ms = parseDuration(text);
  if (ms === undefined || ms < 60_000) {
    throw new UsageError(say.usage.sinceWindow(String(since)));
  }
  return { since: text, fromMs: nowMs - ms, toMs: nowMs };
}
