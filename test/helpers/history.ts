// Test helper: write run history lines directly (the real writer and format), for tests whose unit is the reader side.
import { historyDir } from '../../src/history/files.js';
import { encodeRun } from '../../src/history/line.js';
import { appendHistory } from '../../src/history/write.js';
import type { Level } from '../../src/levels.js';
import type { CheckResult } from '../../src/types.js';

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** One check in one scripted run: its level, and optionally a message and a response time. */
export type Step = Level | { level: Level; message?: string; ms?: number; metrics?: Record<string, number> };

export function resultOf(name: string, step: Step): CheckResult {
  const s = typeof step === 'string' ? { level: step } : step;
  return {
    name,
    type: 'command',
    level: s.level,
    message: s.message ?? `${name} is ${s.level.toLowerCase()}`,
    durationMs: s.ms ?? 1,
    ...(s.ms !== undefined ? { responseTimeMs: s.ms } : {}),
    ...(s.metrics ? { perf: Object.entries(s.metrics).map(([label, value]) => ({ label, value })) } : {}),
  };
}

/** Append one run per entry of `runs` (check name → step), `everyMs` apart, starting at `startMs`. */
export function writeRuns(stateDir: string, startMs: number, everyMs: number, runs: Record<string, Step>[]): number[] {
  const times: number[] = [];
  runs.forEach((checks, i) => {
    const t = startMs + i * everyMs;
    times.push(t);
    const results = Object.entries(checks).map(([name, step]) => resultOf(name, step));
    appendHistory(historyDir(stateDir), encodeRun(new Date(t), results), {
      nowMs: t,
      maxFileSize: 64 * 1024 * 1024,
      retentionMs: 90 * DAY,
    });
  });
  return times;
}
