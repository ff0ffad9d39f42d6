// Test helper: one check against a hostile peer (test/faults/peers), run through the engine in this process while a
// timer ticks, to see the result, how long the check took and whether the main event loop kept turning meanwhile.
import assert from 'node:assert/strict';
import { parseConfigText } from '../../src/config/load.js';
import { executeChecks } from '../../src/engine/execute.js';
import type { CheckResult } from '../../src/types.js';
import { startPeer } from '../faults/peers/start-peer.js';

// Generous for a 2-core host shared with other test files: a check first starts its worker thread (docs/checks-timing.md).
export const HOSTILE_TIMEOUT_MS = 6000;
// What a check may take past its timeout: the engine decides at the timeout; this is only scheduling on a busy box.
// The stall bound is as loose: a client spinning on the main thread (as before the probe worker) stalls it for ever.
const GRACE_MS = 2000;

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

/**
 * One attack of `peer` (test/faults/peers/<peer>.mjs) against the check `checkYaml(port)` makes: CRITICAL with one line
 * matching `message`, within the timeout, and the main thread never stalls.
 */
export async function assertAttack(
  peer: 'postgres' | 'redis',
  attack: string,
  checkYaml: (port: number) => string,
  message: RegExp,
): Promise<void> {
  const hostile = await startPeer(peer, attack);
  try {
    const run = await runHostile(checkYaml(hostile.port));
    const result = run.results[0]!;
    assert.equal(result.level, 'CRITICAL', result.message);
    assert.match(result.message, message, `${result.level}: ${result.logMessage}`);
    assert.ok(isOneLine(result.message) && isOneLine(result.logMessage ?? ''), result.logMessage);
    assert.ok(run.tookMs < HOSTILE_TIMEOUT_MS + GRACE_MS, `took ${run.tookMs} ms`);
    assert.ok(run.longestStallMs < 1000, `the main thread stalled ${run.longestStallMs} ms`);
  } finally {
    await hostile.close();
  }
}
