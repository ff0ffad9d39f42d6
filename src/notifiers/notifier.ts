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
}

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
  /** Resolves once the channel accepted the message; throws (with a one-line reason) otherwise. */
  send(cfg: C, msg: AlertMessage, ctx: SendContext): Promise<void>;
}
