// Finds, reads, parses and validates the config; returns a Config or throws one ConfigError listing every problem.
import { say } from '../i18n/index.js';
import { hostname } from 'node:os';
import { parseDocument } from 'yaml';
import { codeOf, ConfigError, messageOf } from '../util/errors.js';
import { BUILT_IN_CONFIG } from './defaults.js';
import { issueLines } from './issues.js';
import { configSchema, type CheckConfig, type Config } from './schema.js';
import { applyEnvChannels } from '../alerts/env-channels.js';
import { countProblem, durationBoundProblems, MAX_ALIAS_COUNT, sizeProblem } from './bounds.js';
import { readCapped } from './read.js';
import { protectSecrets } from './secrets.js';
import { crossCheckProblems } from './cross-checks.js';

// Finding the file lives in locate.ts (no YAML, no zod) so the run's cached-config path can use it; re-exported here.
export { locateConfig, type ConfigLocation } from './locate.js';
import type { ConfigLocation } from './locate.js';

/** Load the config at `location`, or the built-in defaults when the default path has no file. */
export function loadConfig(location: ConfigLocation, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readCapped(location.path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = codeOf(error);
    if (code === 'ENOENT' && !location.explicit) return validate(BUILT_IN_CONFIG, null, env);
    const why =
      code === 'ENOENT'
        ? say.config.noSuchFile
        : code === 'EACCES'
          ? say.config.permissionDenied
          : code === 'EISDIR'
            ? say.config.isDirectory
            : messageOf(error);
    throw new ConfigError(location.path, [why]);
  }
  return parseConfigText(text, location.path, env);
}

/** Parse YAML text and validate it; syntax errors carry line and column. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const tooBig = sizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooBig) throw new ConfigError(file, [tooBig]);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        const where = pos ? say.config.yamlAt(pos.line, pos.col) : 'YAML';
        return say.config.yamlSyntax(where, error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
      }),
    );
  }
  let raw: unknown;
  try {
    // A "billion laughs" file (aliases of aliases) would expand to gigabytes here: yaml stops it past the count.
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ConfigError(file, [
      `(file): more than ${MAX_ALIAS_COUNT} YAML aliases (*name) to expand; write the values out, or use fewer anchors`,
    ]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [`${say.config.topLevelPath}: ${say.config.notMapping}`]);
  }
  return validate(raw, file, env);
}

function validate(raw: unknown, source: string | null, env: NodeJS.ProcessEnv): Config {
  const file = source ?? say.config.builtIn;
  // Too many checks: nothing else is looked at (validating them all is the cost the limit avoids).
  const tooMany = countProblem(raw as Record<string, unknown>);
  if (tooMany) throw new ConfigError(file, [tooMany]);
  // A file without `checks:` runs the built-in NeuroNova set, as no file at all does, and says so (docs/config-rules.md).
  const noChecks = source !== null && (raw as { checks?: unknown }).checks == null;
  const input = noChecks ? { ...(raw as object), checks: BUILT_IN_CONFIG.checks } : raw;
  const result = configSchema.safeParse(input);
  const problems = result.success ? [] : issueLines(result.error.issues, input);
  problems.push(...durationBoundProblems(input as Record<string, unknown>), ...crossCheckProblems(input));
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);

  const parsed = result.data;
  const checks: CheckConfig[] = parsed.checks.map((check) => ({ ...check, timeout: check.timeout ?? parsed.timeout }));
  const host = hostname();
  const config: Config = {
    ...parsed,
    checks,
    source,
    ...(noChecks ? { builtInChecks: say.config.noChecksIn(source) } : {}),
  };
  const withEnv = applyEnvChannels(config, env, host);
  protectSecrets(withEnv);
  return withEnv;
}
