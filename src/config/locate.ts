// Where the config is: --config, else $NEURONOVA_HEALTH_CONFIG, else the default path (kept apart from load.ts,
// which imports YAML and zod, so a run from the cached config can find its file without them).
import { CONFIG_ENV, DEFAULT_CONFIG_PATH } from './defaults.js';

export interface ConfigLocation {
  path: string;
  /** True when the path was asked for (--config or the env variable): then a missing file is an error. */
  explicit: boolean;
}

export function locateConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ConfigLocation {
  if (flag) return { path: flag, explicit: true };
  if (env[CONFIG_ENV]) return { path: env[CONFIG_ENV]!, explicit: true };
  return { path: DEFAULT_CONFIG_PATH, explicit: false };
}
