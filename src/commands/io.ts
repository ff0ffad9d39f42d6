// What a command may touch of the terminal: two text sinks and the output flags. Only cli.ts builds one.
import type { Language } from '../i18n/index.js';

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal that wants colour. */
  color: boolean;
  /** Aborted on SIGINT/SIGTERM: a run stops its checks (and their process groups) and releases its lock. */
  interrupted?: AbortSignal;
}

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
  /** commander turns --no-alert into alert: false */
  alert?: boolean;
  format?: string;
  color?: boolean;
  /** --lang: this run's language, over the config's `language`. */
  lang?: Language;
}
