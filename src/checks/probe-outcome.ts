// Shared by tcp, postgres and redis: the pieces of a check outcome that come from a probe worker (src/probes/host.ts).
import { say } from '../i18n/index.js';
import type { ProbeDeath } from '../probes/host.js';
import { TOO_MUCH, type ProbeError, type ProbeTimings } from '../probes/protocol.js';
import { PEER_BYTE_CAP } from '../probes/socket-guard.js';
import type { CheckOutcome } from '../types.js';
import { round1 } from '../util/time.js';

/** `timings` for the check's details (JSON shows it under the service entry); docs/checks-timing.md says what each is. */
export function timingDetails(timings: ProbeTimings): { connect_ms: number; query_ms?: number } {
  return timings.query_ms === undefined
    ? { connect_ms: round1(timings.connect_ms) }
    : { connect_ms: round1(timings.connect_ms), query_ms: round1(timings.query_ms) };
}

/** The result for a worker that died (malformed message, out of memory, spinning): its one line, no response time. */
export function deathOutcome(death: ProbeDeath, shownTarget: string, details: Record<string, unknown>): CheckOutcome {
  return {
    level: death.level,
    message: death.reason,
    logMessage: say.check.probe.failedAt(death.reason, shownTarget, undefined),
    details,
  };
}

/** The result for a peer that refused, failed or ran out of time: CRITICAL, with the time until it failed if known. */
export function failedOutcome(
  why: string,
  elapsedMs: number | undefined,
  shownTarget: string,
  details: Record<string, unknown>,
): CheckOutcome {
  const ms = elapsedMs === undefined ? undefined : round1(elapsedMs);
  return {
    level: 'CRITICAL',
    message: why,
    logMessage: say.check.probe.failedAt(why, shownTarget, ms),
    ...(ms === undefined ? {} : { responseTimeMs: ms }),
    details,
  };
}

/** The words for a connection the byte cap closed, or undefined for any other failure. */
export function describeTooMuch(error: ProbeError, label: string): string | undefined {
  return error.code === TOO_MUCH ? say.check.probe.tooMuch(label, PEER_BYTE_CAP / 1024 / 1024) : undefined;
}
