// Finds, reads, parses and validates the config; returns a Config or throws one ConfigError listing every problem.
import { say } from '../i18n/index.js';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseDocument } from 'yaml';
import { noCheckNamed } from '../util/nearest.js';
import { codeOf, ConfigError, messageOf } from '../util/errors.js';
import { BUILT_IN_CONFIG } from './defaults.js';
import { issueLines } from './issues.js';
import { configSchema, type CheckConfig, type Config } from './schema.js';
import { applyEnvChannels } from '../alerts/env-channels.js';
import { maintenanceCheckProblems } from '../alerts/schema.js';

// Finding the file lives in locate.ts (no YAML, no zod) so the run's cached-config path can use it; re-exported here.
export { locateConfig, type ConfigLocation } from './locate.js';
import type { ConfigLocation } from './locate.js';

/** Load the config at `location`, or the built-in defaults when the default path has no file. */
export function loadConfig(location: ConfigLocation, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(location.path, 'utf8');
  } catch (error) {
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
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [`${say.config.topLevelPath}: ${say.config.notMapping}`]);
  }
  return validate(raw, file, env);
}

function validate(raw: unknown, source: string | null, env: NodeJS.ProcessEnv): Config {
  const file = source ?? say.config.builtIn;
  const result = configSchema.safeParse(raw);
  const problems = result.success ? [] : issueLines(result.error.issues, raw);
  problems.push(...crossCheckProblems(raw));
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);

  const parsed = result.data;
  const checks: CheckConfig[] = parsed.checks.map((check) => ({ ...check, timeout: check.timeout ?? parsed.timeout }));
  const host = hostname();
  const config: Config = { ...parsed, checks, source };
  return applyEnvChannels(config, env, host);
}

/** Problems between checks (unique names, depends_on targets), found on the raw data so they are listed with the rest. */
function crossCheckProblems(raw: unknown): string[] {
  const checks = (raw as { checks?: unknown })?.checks;
  if (!Array.isArray(checks)) return [];
  const problems: string[] = [];
  const names = checks.map((check) => (check && typeof check === 'object' ? (check as { name?: unknown }).name : undefined));
  const known = names.filter((name): name is string => typeof name === 'string');
  names.forEach((name, index) => {
    // indexes in `names` (not `known`, which skips checks without a name) are the checks' own positions
    if (typeof name === 'string' && names.indexOf(name) !== index) {
      problems.push(`checks[${index}].name: ${say.config.duplicateName(name, names.indexOf(name))}`);
    }
  });
  checks.forEach((check, index) => {
    const parents = (check as { depends_on?: unknown })?.depends_on;
    if (!Array.isArray(parents)) return;
    parents.forEach((parent, p) => {
      if (typeof parent !== 'string' || known.includes(parent)) return;
      problems.push(`checks[${index}].depends_on[${p}]: ${noCheckNamed(parent, known)}`);
    });
    if (Array.isArray(parents) && parents.includes(names[index])) {
      problems.push(`checks[${index}].depends_on: ${say.config.dependsOnItself}`);
    }
  });
  problems.push(...maintenanceCheckProblems(raw, known));
  return problems;
}
