// The last line of a first run on a host that is not a NeuroNova web host: what to try instead of the built-in set.
import { DEFAULT_CONFIG_PATH } from '../config/defaults.js';
import type { CheckResult } from '../types.js';
import { say } from '../i18n/index.js';

/** The built-in checks that only make sense on a NeuroNova host: its systemd units and its apps' HTTP ports. */
const HOST_SPECIFIC = new Set(['systemd', 'http']);

/**
 * Without a config file the built-in NeuroNova set runs; when its services fail, the likeliest reason is that this
 * host does not have them, and a newcomer needs the next step more than the table. Terminal output only: never in
 * --json, --quiet or --format nagios, and never when a config file exists (then the failures are real).
 */
export function firstRunHint(configSource: string | null, results: readonly CheckResult[]): string | undefined {
  if (configSource !== null) return undefined;
  if (!results.some((result) => HOST_SPECIFIC.has(result.type) && result.level !== 'OK')) return undefined;
  return `${say.terminal.firstRunHint(DEFAULT_CONFIG_PATH)}\n`;
}
