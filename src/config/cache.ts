// The run's config loader: the validated config, cached in state_dir under the config file's content hash, so a run
// whose config has not changed parses no YAML and loads no zod (~70 ms of a ~250 ms run, see README "Performance").
//
// A cached config is used only when everything validation read is the same: this build of the program, the config
// path and its bytes, the host name, and the environment variables validation looked at (ALERT_EMAIL, SLACK_WEBHOOK).
// Anything else — a changed byte, a new build, a bad file — goes through the full loader (src/config/load.ts), which
// also reports every problem exactly as `config check` does. The cache is a file the program itself wrote: it is read
// only if it belongs to the user running the program and no one else can write it or its directory, since it says
// which commands a `command` check runs.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../util/atomic-write.js';
import { BUILT_IN_CONFIG } from './defaults.js';
import type { ConfigLocation } from './locate.js';
import type { Config } from './schema.js';

/** Set by scripts/build.mjs (a hash of the sources and the lock file); absent under tsx, where nothing is cached. */
declare const NEURONOVA_BUILD_ID: string | undefined;
const BUILD_ID = typeof NEURONOVA_BUILD_ID === 'string' ? NEURONOVA_BUILD_ID : undefined;

export const CONFIG_CACHE_FILE = 'config-cache.json';
const FORMAT = 1;

interface CacheFile {
  format: number;
  /** sha256 of build id, config path and config text. */
  key: string;
  host: string;
  /** The environment variables validation read, and a hash of their values (not the values: they may be secrets). */
  envKeys: string[];
  envHash: string;
  config: Config;
}

/**
 * Load the config for a run: from the cache when it matches, else through the full loader (and cache the result).
 * Throws what the full loader throws (ConfigError for a missing or bad file).
 */
export async function loadRunConfig(
  location: ConfigLocation,
  env: NodeJS.ProcessEnv = process.env,
  buildId: string | undefined = BUILD_ID,
): Promise<Config> {
  const text = readConfigText(location);
  const key = buildId === undefined || text === undefined ? undefined : cacheKey(buildId, location.path, text);
  const guessedDir = text === null ? BUILT_IN_CONFIG.state_dir : text === undefined ? undefined : stateDirIn(text);

  if (key && guessedDir) {
    const cached = readCache(guessedDir, key, env);
    if (cached) return cached;
  }

  // The full loader: YAML, zod (the bundled copy, loaded first), every problem listed.
  await (await import('./zod-lazy.js')).loadZod();
  const { loadConfig, parseConfigText } = await import('./load.js');
  const seen = new Set<string>();
  const watched = watchEnv(env, seen);
  // The very text that was hashed is parsed (no second read that could see a newer file under the older hash).
  const config = typeof text === 'string' ? parseConfigText(text, location.path, watched) : loadConfig(location, watched);
  if (key) writeCache(config, key, env, seen);
  return config;
}

/** The file's text; null when the default path has no file (the built-in defaults); undefined when unreadable. */
function readConfigText(location: ConfigLocation): string | null | undefined {
  try {
    return readFileSync(location.path, 'utf8');
  } catch (error) {
    const missingDefault = (error as NodeJS.ErrnoException).code === 'ENOENT' && !location.explicit;
    // Unreadable: the full loader says why, in its own words.
    return missingDefault ? null : undefined;
  }
}

function cacheKey(buildId: string, path: string, text: string | null): string {
  return createHash('sha256').update(`${buildId}\0${path}\0${text ?? '(built-in defaults)'}`).digest('hex');
}

/**
 * Where this config keeps its state, read from the text without parsing YAML: a top-level `state_dir: /path` line,
 * else the default. A guess that is wrong (an anchor, a multi-line value) only means the cache is never found.
 */
export function stateDirIn(text: string): string | undefined {
  const lines = [...text.matchAll(/^state_dir[ \t]*:[ \t]*(.*)$/gm)];
  if (lines.length === 0) return BUILT_IN_CONFIG.state_dir;
  if (lines.length > 1) return undefined;
  let value = lines[0]![1]!.replace(/[ \t]+#.*$/, '').trim();
  const quoted = /^(['"])(.*)\1$/.exec(value);
  if (quoted) value = quoted[2]!;
  else if (/^[&*!|>{[%@`'"]/.test(value)) return undefined;
  return value.startsWith('/') ? value : undefined;
}

/** Validation's view of the environment, noting each variable it reads. */
function watchEnv(env: NodeJS.ProcessEnv, seen: Set<string>): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return Reflect.get(target, name);
    },
    has(target, name) {
      if (typeof name === 'string') seen.add(name);
      return Reflect.has(target, name);
    },
  });
}

function envHash(env: NodeJS.ProcessEnv, keys: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(keys.map((name) => [name, env[name] ?? null])))
    .digest('hex');
}

/** Only a file of ours that nobody else can change: it decides what the run executes. */
function trusted(mode: number, uid: number): boolean {
  const me = typeof process.geteuid === 'function' ? process.geteuid() : uid;
  return uid === me && (mode & 0o022) === 0;
}

function readCache(stateDir: string, key: string, env: NodeJS.ProcessEnv): Config | undefined {
  const path = join(stateDir, CONFIG_CACHE_FILE);
  let fd: number | undefined;
  try {
    const dir = statSync(stateDir);
    if (!trusted(dir.mode, dir.uid)) return undefined;
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || !trusted(stat.mode, stat.uid)) return undefined;
    const cached = JSON.parse(readFileSync(fd, 'utf8')) as CacheFile;
    const hit =
      cached.format === FORMAT &&
      cached.key === key &&
      cached.host === hostname() &&
      Array.isArray(cached.envKeys) &&
      cached.envHash === envHash(env, cached.envKeys) &&
      cached.config?.state_dir === stateDir;
    return hit ? cached.config : undefined;
  } catch {
    return undefined; // no cache yet, or one we cannot read: validate
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(config: Config, key: string, env: NodeJS.ProcessEnv, seen: ReadonlySet<string>): void {
  const text = JSON.stringify(config);
  // Only a config that JSON keeps exactly (no undefined fields, RegExps, Dates) is cached; another is always validated.
  if (!isDeepStrictEqual(JSON.parse(text), config)) return;
  const envKeys = [...seen].sort();
  const file: CacheFile = { format: FORMAT, key, host: hostname(), envKeys, envHash: envHash(env, envKeys), config };
  try {
    // The run creates state_dir a moment later anyway (the lock); same mode.
    mkdirSync(config.state_dir, { recursive: true, mode: 0o750 });
    // 0600: the config may hold secrets (SMTP password, webhook URL), like the file it came from.
    writeFileAtomic(join(config.state_dir, CONFIG_CACHE_FILE), JSON.stringify(file) + '\n', 0o600);
  } catch {
    // A state_dir we cannot write is reported by the run itself; without a cache the next run validates again.
  }
}
