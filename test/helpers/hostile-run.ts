// Test helper: one check against a hostile peer (test/faults/peers), run through the engine in this process while a
// timer ticks, to see the result, how long the check took and whether the main event loop kept turning meanwhile.
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import type { CheckResult } from '../../src/types.js';

export interface HostileRun {
  results: CheckResult[];
  tookMs: number;
  /** The longest the main thread went without running a 10 ms timer: a client spinning here would make it the whole run. */
  longestStallMs: number;
  ticks: number;
}

/** `checksYaml` is the YAML list under `checks:`, indented by two spaces. */
export async function runHostile(checksYaml: string): Promise<HostileRun> {
  const config = parseConfigText(`checks:\n${checksYaml}`, 'hostile.yml', {});
  let ticks = 0;
  let last = performance.now();
  let longestStallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  try {
    const results = await executeChecks(config.checks, {
      concurrency: 8,
      deadlineMs: 60_000,
      now: new Date(),
      thresholds: config.thresholds,
      previous: () => undefined,
    });
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    return { results, tookMs: now - started, longestStallMs, ticks };
  } finally {
    clearInterval(timer);
  }
}

/** A message fit for one log line: no newline, no stack frame. */
export function isOneLine(message: string): boolean {
  return !message.includes('\n') && !/\bat \S+ \(?[^)]*:\d+:\d+\)?/.test(message);
}
