// Where a run's checks come from, in the words of the log's "Health check started" line and `config check`.
import { say } from '../i18n/index.js';
import { DEFAULT_CONFIG_PATH } from './defaults.js';
import type { Config } from './schema.js';

/** '' for a file's own checks; else why the built-in NeuroNova set runs (docs/config-rules.md "No checks"). */
export function configOrigin(config: Pick<Config, 'source' | 'builtInChecks'>): string {
  if (!config.source) return say.run.builtInDefaults(DEFAULT_CONFIG_PATH);
  if (config.builtInChecks) return say.run.builtInChecks(config.builtInChecks);
  return '';
}
