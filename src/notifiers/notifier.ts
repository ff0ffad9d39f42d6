// The plug-in shape of an alert channel: its own config schema, a label for log lines, the secrets it must hide, send().
import type { z } from 'zod';
import type { AlertMessage } from '../alerts/message.js';
import type { RunReport } from '../types.js';

export interface SendContext {
  /** Milliseconds this send may still take: the per-send timeout, cut short by the run's deadline. */
  remainingMs(): number;
  /** Aborted when that time is up: close sockets, kill children. */
  signal: AbortSignal;
  /** When this attempt happens (the run's clock): a retried message says it is late. */
  now: Date;
  host: string;
  /** The JSON report (docs/reference.md#json-report) of the run that made the message (the webhook posts it). */
  report?: RunReport;
  /**
   * Called by a channel at its point of no return: the last byte of the message is out, and the far end may accept
   * it from now on. The alert state then says so (fsync'd), so a run killed before it hears back does not send it
   * again (docs/files.md). A channel that never calls it has its message sent again after such a crash.
   */
  handingOver?: () => void;
}

/** One recipient the far end refused, with its own answer (`550 5.1.1 <typo@example.com>: User unknown`). */
export interface Refusal {
  recipient: string;
  reason: string;
}

/**
 * What the far end did with one message (docs/alerting-delivery.md). A channel with one destination (Slack, a webhook)
 * either accepts it or throws; email answers per recipient.
 */
export interface SendResult {
  /** Who took it: the email addresses the server accepted, or the channel's one destination. */
  accepted: string[];
  /** Refused for good (SMTP 5xx for that address): an ERROR naming it, never retried. */
  rejected: Refusal[];
  /** Refused for now (SMTP 4xx): retried from the outbox on later runs, for these recipients only. */
  deferred: Refusal[];
  /** Said once in the log as WARNING lines (the default From is not fully qualified). */
  warnings?: string[];
}

/** A channel with one destination took the whole message. */
export const acceptedWhole = (destination: string): SendResult => ({
  accepted: [destination],
  rejected: [],
  deferred: [],
});

export interface Notifier<C> {
  kind: string;
  /** The channel's own keys under `alerts:`; the channel validates its own config. A getter that builds it on first use. */
  readonly schema: z.ZodType<C>;
  /** How log lines and `test-alert` name it: `email (ops@example.com)`, `slack`, `webhook (example.com)`. */
  label(cfg: C): string;
  /** Exact strings (tokens, passwords, webhook paths) that no log line or error may show. */
  secrets(cfg: C): string[];
  /** True when it posts the run's report (the webhook): a retried message keeps the report of the run that made it. */
  carriesReport?: boolean;
  /**
   * True when it is told every run what fails now instead of the DOWN/reminder/RECOVERED messages (Alertmanager: its
   * alerts expire unless refreshed; docs/alerting.md#alertmanager). It gets the run's snapshot (src/alerts/refresh.ts).
   */
  refreshEveryRun?: boolean;
  /** Load the library it sends with, before any send timeout starts (loading is not the channel being slow). */
  prepare?(): Promise<void>;
  /** The recipients a message goes to, each its own delivery (email addresses); none for one-destination channels. */
  recipients?(cfg: C): string[];
  /**
   * Resolves with what the far end accepted and refused; throws (with a one-line reason) when it took nothing and
   * the whole message should be retried. `only` narrows a retry to the recipients that did not get it yet.
   */
  send(cfg: C, msg: AlertMessage, ctx: SendContext, only?: readonly string[]): Promise<SendResult>;
}
