// The run's config loader: the validated config, cached in state_dir under the config file's content hash, so a run
// whose config has not changed parses no YAML and loads no zod (~55 ms of a run; docs/performance.md).
//
// A cached config is used only when everything validation read is the same: this build of the program, the config
// path and its bytes, the host name, and the environment variables validation looked at (ALERT_EMAIL, SLACK_WEBHOOK).
// Anything else — a changed byte, a new build, a bad file — goes through the full loader (src/config/load.ts), which
// also reports every problem exactly as `config check` does. The cache is a file the program itself wrote: it is read
// only if it belongs to the user running the program and no one else can write it or its directory, since it says
// which commands a `command` check runs. It holds no secret: every string that may carry one (URLs, header values,
// bodies, command arguments and env, anything the masker would hide; config/secrets.ts) is stored as `***` with where
// it sits in the config text (or the env variable it came from), and put back from there on load — the text and
// those variables are exactly the ones the cache was keyed on.
import { closeSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openOwnFile, writeFileAtomic } from '../util/safe-file.js';
import { quickHash } from '../util/quick-hash.js';
import { BUILT_IN_CONFIG } from './defaults.js';
import type { ConfigLocation } from './locate.js';
import { readCapped } from './read.js';
import { isCacheSecret, protectSecrets } from './secrets.js';
import type { Config } from './schema.js';
import { codeOf } from '../util/errors.js';

/** Set by scripts/build.mjs (a hash of the sources and the lock file); absent under tsx, where nothing is cached. */
declare const NEURONOVA_BUILD_ID: string | undefined;
const BUILD_ID = typeof NEURONOVA_BUILD_ID === 'string' ? NEURONOVA_BUILD_ID : undefined;

export const CONFIG_CACHE_FILE = 'config-cache.json';
const FORMAT = 1;

interface CacheFile {
  format: number;
  /** Hash of build id, config path and config text (util/quick-hash.ts). */
  key: string;
  host: string;
  /** The environment variables validation read, and a hash of their values (not the values: they may be secrets). */
  envKeys: string[];
  envHash: string;
  /** The config with every secret string masked… */
  config: Config;
  /** …and where each one is: in the config text, or in an environment variable (by name), at offset, length. */
  secrets: Secret[];
}

interface Secret {
  path: (string | number)[];
  source: string;
  offset: number;
  length: number;
}

const BUILT_IN_JSON = JSON.stringify(BUILT_IN_CONFIG);

/** Where the strings of a config can have come from: the file's text, and the environment variables validation read. */
type Sources = Record<string, string>;

function sourcesOf(text: string | null, env: NodeJS.ProcessEnv, envKeys: Iterable<string>): Sources {
  // The built-in checks' strings come from the program itself (no file, or a file without `checks:`).
  const sources: Sources = { text: text ?? '', builtin: BUILT_IN_JSON };
  for (const name of envKeys) {
    const value = env[name];
    if (typeof value === 'string') sources[`env:${name}`] = value;
  }
  return sources;
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
    const cached = readCache(guessedDir, key, text ?? null, env);
    if (cached) {
      protectSecrets(cached);
      return cached;
    }
  }

  // The full loader: YAML, zod (the bundled copy, loaded first), every problem listed.
  await (await import('./zod-lazy.js')).loadZod();
  const { loadConfig, parseConfigText } = await import('./load.js');
  const seen = new Set<string>();
  const watched = watchEnv(env, seen);
  // The very text that was hashed is parsed (no second read that could see a newer file under the older hash).
  const config =
    typeof text === 'string' ? parseConfigText(text, location.path, watched) : loadConfig(location, watched);
  // node:util only now: a run from the cache never needs it (it brings ~5 more of Node's own modules).
  const { isDeepStrictEqual } = await import('node:util');
  if (key) writeCache(config, key, text ?? null, env, seen, isDeepStrictEqual);
  return config;
}

/** The file's text; null when the default path has no file (the built-in defaults); undefined when unreadable. */
function readConfigText(location: ConfigLocation): string | null | undefined {
  try {
    return readCapped(location.path);
  } catch (error) {
    const missingDefault = codeOf(error) === 'ENOENT' && !location.explicit;
    // Unreadable: the full loader says why, in its own words.
    return missingDefault ? null : undefined;
  }
}

function cacheKey(buildId: string, path: string, text: string | null): string {
  return quickHash(`${buildId}\0${path}\0${text ?? '(built-in defaults)'}`);
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
  return quickHash(JSON.stringify(keys.map((name) => [name, env[name] ?? null])));
}

/** Only a file of ours that nobody else can change: it decides what the run executes. */
function trusted(mode: number, uid: number): boolean {
  const me = typeof process.geteuid === 'function' ? process.geteuid() : uid;
  return uid === me && (mode & 0o022) === 0;
}

function readCache(stateDir: string, key: string, text: string | null, env: NodeJS.ProcessEnv): Config | undefined {
  const path = join(stateDir, CONFIG_CACHE_FILE);
  let fd: number | undefined;
  try {
    const dir = statSync(stateDir);
    if (!trusted(dir.mode, dir.uid)) return undefined;
    let stat;
    ({ fd, stat } = openOwnFile(path));
    // a cache is a few KiB; anything far bigger is not one we wrote
    if (!stat.isFile() || !trusted(stat.mode, stat.uid) || stat.size > 4 << 20) return undefined;
    const cached = JSON.parse(readFileSync(fd, 'utf8')) as CacheFile;
    const hit =
      cached.format === FORMAT &&
      cached.key === key &&
      cached.host === hostname() &&
      Array.isArray(cached.envKeys) &&
      cached.envHash === envHash(env, cached.envKeys) &&
      cached.config?.state_dir === stateDir;
    return hit ? withSecrets(cached.config, cached.secrets, sourcesOf(text, env, cached.envKeys)) : undefined;
  } catch {
    return undefined; // no cache yet, or one we cannot read: validate
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(
  config: Config,
  key: string,
  text: string | null,
  env: NodeJS.ProcessEnv,
  seen: ReadonlySet<string>,
  isDeepStrictEqual: (a: unknown, b: unknown) => boolean,
): void {
  try {
    const envKeys = [...seen].sort();
    const sources = sourcesOf(text, env, envKeys);
    const masked = withoutSecrets(config, sources);
    if (!masked) return; // a secret we could not locate (an escaped YAML string): not cached, validated every run
    const file: CacheFile = {
      format: FORMAT,
      key,
      host: hostname(),
      envKeys,
      envHash: envHash(env, envKeys),
      ...masked,
    };
    const json = JSON.stringify(file);
    // Only a config that comes back exactly (no undefined fields, RegExps, Dates) is cached; another is always validated.
    const back = JSON.parse(json) as CacheFile;
    if (!isDeepStrictEqual(withSecrets(back.config, back.secrets, sources), config)) return;
    // 0600, like a config file holding passwords should be, although secrets themselves are not in it; state_dir is
    // created as the lock creates it (0750). Not fsync'd: a cache lost to a power cut is rebuilt by the next run.
    writeFileAtomic(join(config.state_dir, CONFIG_CACHE_FILE), json + '\n', {
      mode: 0o600,
      dirMode: 0o750,
      durable: false,
    });
  } catch {
    // A state_dir we cannot write is reported by the run itself; without a cache the next run validates again.
  }
}

/**
 * A deep copy with every secret string (config/secrets.ts: URLs, headers, bodies, command arguments and env, anything
 * the masker would change) replaced by `***`; undefined if one is not found verbatim in a source.
 */
function withoutSecrets(config: Config, sources: Sources): { config: Config; secrets: Secret[] } | undefined {
  const secrets: Secret[] = [];
  let lost = false;
  // Strings come in file order, check after check: look near the last one first, so a big file stays linear.
  const cursor: Record<string, number> = {};
  const locate = (value: string): [string, number] | undefined => {
    for (const [name, source] of Object.entries(sources)) {
      const near = source.indexOf(value, Math.max(0, (cursor[name] ?? 0) - 4096));
      const at = near >= 0 ? near : source.indexOf(value);
      if (at >= 0) {
        cursor[name] = at;
        return [name, at];
      }
    }
    return undefined;
  };
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      if (!isCacheSecret(path, value)) return value;
      const found = value === '' ? undefined : locate(value);
      if (!found) lost = value !== '';
      else secrets.push({ path, source: found[0], offset: found[1], length: value.length });
      return value === '' ? value : '***';
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, [...path, name])]));
    }
    return value;
  };
  const copy = walk(config, []) as Config;
  return lost ? undefined : { config: copy, secrets };
}

/** The cached config with its secrets read back from where they were found. */
function withSecrets(config: Config, secrets: readonly Secret[], sources: Sources): Config {
  for (const secret of secrets) {
    const source = sources[secret.source];
    if (source === undefined || secret.path.length === 0) throw new Error("config cache: a secret's source is gone");
    let parent = config as unknown as Record<string | number, unknown>;
    for (const step of secret.path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    parent[secret.path.at(-1)!] = source.slice(secret.offset, secret.offset + secret.length);
  }
  return config;
}
