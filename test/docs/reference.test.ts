// docs/reference.md and the config schema cannot drift apart: every key the zod schema accepts (top level, every
// check type, alerts and each channel, outputs, history) has a row in the reference, and every row names a real key.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHECK_TYPES, checkFor } from '../../src/checks/index.js';
import { configSchema } from '../../src/config/schema.js';
import { prometheusText } from '../../src/outputs/prometheus.js';
import type { RunReport } from '../../src/types.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { docFiles, readDoc } from './markdown.js';

type Def = {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  element?: unknown;
  options?: unknown[];
};
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Every key path under `schema`: objects by key, arrays as `[]`, through optional/default/pipe/union wrappers. */
function keyPaths(schema: unknown, prefix: string, out: Set<string>): Set<string> {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape!)) {
        const path = prefix ? `${prefix}.${key}` : key;
        out.add(path);
        keyPaths(value, path, out);
      }
      break;
    case 'array':
      keyPaths(def.element, `${prefix}[]`, out);
      break;
    case 'union':
      for (const option of def.options!) keyPaths(option, prefix, out);
      break;
    case 'pipe':
      keyPaths(def.in, prefix, out);
      keyPaths(def.out, prefix, out);
      break;
    default:
      if (def.innerType) keyPaths(def.innerType, prefix, out);
  }
  return out;
}

/** What the schema accepts: general paths (`alerts.email.smtp`, `checks[].name`) and each check type's own keys. */
function schemaKeys(): { general: Set<string>; byType: Map<string, Set<string>> } {
  const shape = defOf(configSchema).shape!;
  const general = new Set<string>();
  for (const [key, value] of Object.entries(shape)) {
    general.add(key);
    if (key !== 'checks') keyPaths(value, key, general);
  }
  let checks = defOf(shape.checks);
  while (checks.type !== 'array') checks = defOf(checks.innerType);
  const perType = new Map<string, Set<string>>();
  for (const option of defOf(checks.element).options!) {
    const literal = defOf(defOf(option).shape!.type) as unknown as { values: string[] };
    perType.set(literal.values[0]!, keyPaths(option, '', new Set()));
  }
  // Keys every type takes are the common ones, documented once as checks[].KEY.
  const all = [...perType.values()];
  const common = [...all[0]!].filter((key) => !key.includes('.') && all.every((keys) => keys.has(key)));
  for (const key of common) general.add(`checks[].${key}`);
  const byType = new Map(
    [...perType].map(([type, keys]) => [type, new Set([...keys].filter((key) => !common.includes(key)))]),
  );
  return { general, byType };
}

/** The keys the reference documents: the first cell of each table row, per "Check type `X`" section or general. */
function documentedKeys(): { general: Set<string>; byType: Map<string, Set<string>> } {
  const general = new Set<string>();
  const byType = new Map<string, Set<string>>();
  for (const file of docFiles().filter((f) => f.startsWith('docs/reference'))) {
    let section: Set<string> = general;
    for (const line of readDoc(file).split('\n')) {
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (heading) {
        const type = /^Check type `([\w-]+)`/.exec(heading[1]!)?.[1];
        section = type ? (byType.get(type) ?? byType.set(type, new Set()).get(type)!) : general;
        continue;
      }
      const cell = /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1];
      if (cell) section.add(cell);
    }
  }
  return { general, byType };
}

const CONFIG_KEY = /^[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*$/;

describe('docs/reference.md covers the config schema', () => {
  const accepted = schemaKeys();
  const documented = documentedKeys();

  test('the walk sees what the schema really accepts (so the checks below can fail)', () => {
    assert.ok(accepted.general.has('alerts.email.smtp'));
    assert.ok(accepted.general.has('alerts.maintenance[].days'));
    assert.ok(accepted.general.has('outputs.heartbeat.start'));
    assert.ok(accepted.general.has('checks[].depends_on'));
    assert.ok(accepted.byType.get('http')?.has('expect.cert_days'));
    assert.deepEqual([...accepted.byType.keys()].sort(), [...CHECK_TYPES].sort());
  });

  test('every top-level, alerts, channel, outputs and history key has a row', () => {
    const missing = [...accepted.general].filter((key) => !documented.general.has(key));
    assert.deepEqual(
      missing,
      [],
      `add a row to docs/reference.md for each of these keys (type, default, example):\n  ${missing.join('\n  ')}`,
    );
  });

  test('every check type has a "Check type `X`" section with a row for each of its keys', () => {
    const missing: string[] = [];
    for (const [type, keys] of accepted.byType) {
      const rows = documented.byType.get(type);
      if (!rows) missing.push(`#### Check type \`${type}\` (the whole section)`);
      for (const key of keys) if (!rows?.has(key)) missing.push(`Check type \`${type}\`: ${key}`);
    }
    assert.deepEqual(missing, [], `add these to docs/reference.md:\n  ${missing.join('\n  ')}`);
  });

  test('every key the reference documents is one the schema accepts (no stale rows)', () => {
    const stale = [...documented.general].filter(
      (key) =>
        CONFIG_KEY.test(key.replace(/^checks\[\]\./, 'checks.')) && key.includes('.') && !accepted.general.has(key),
    );
    for (const [type, rows] of documented.byType) {
      const keys = accepted.byType.get(type);
      if (!keys) stale.push(`Check type \`${type}\` (no such check type)`);
      else for (const row of rows) if (!keys.has(row)) stale.push(`Check type \`${type}\`: ${row}`);
    }
    assert.deepEqual(
      stale,
      [],
      `docs/reference.md documents keys the config does not accept:\n  ${stale.join('\n  ')}`,
    );
  });
});

/** Every command path the program's help lists (`config check`, …), found by walking the help texts. */
async function commandPaths(path: string[] = []): Promise<{ path: string[]; options: string[] }[]> {
  const help = (await runCli([...path, '--help'])).stdout;
  const own = help.split(/^Global Options:$/m)[0]!.split(/^Commands:$/m)[0]!;
  const options = [...own.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
  const subcommands = [...(help.split(/^Commands:$/m)[1] ?? '').split(/\n\s*\n/)[0]!.matchAll(/^ {2}([a-z][\w-]*)/gm)]
    .map((m) => m[1]!)
    .filter((c) => c !== 'help');
  const nested = await Promise.all(subcommands.map((sub) => commandPaths([...path, sub])));
  return [{ path, options }, ...nested.flat()];
}

describe('docs/reference.md covers the command line', () => {
  test('every command and every option the help lists is in the reference', async () => {
    await ensureBuilt();
    const reference = docFiles()
      .filter((f) => f.startsWith('docs/reference'))
      .map(readDoc)
      .join('\n');
    const missing: string[] = [];
    for (const { path, options } of await commandPaths()) {
      const name = path.join(' ');
      if (name && !reference.includes(`\`${name}\``) && !reference.includes(`\`${name} `))
        missing.push(`command ${name}`);
      for (const option of options)
        if (!reference.includes(`\`${option}`)) missing.push(`${name || 'global option'} ${option}`);
    }
    assert.deepEqual(
      missing,
      [],
      `add these to the "Command line" part of docs/reference.md:\n  ${missing.join('\n  ')}`,
    );
  });
});

describe('docs/reference.md covers the Prometheus metrics', () => {
  test('every metric family the textfile can hold has a row', () => {
    // The run's and every check's own families, from a run of one tcp check (tcp adds none of its own) …
    const report = { level: 'OK', timestamp: 1, duration_ms: 1 } as RunReport;
    const text = prometheusText(
      [{ name: 'x', type: 'tcp', level: 'OK', message: '', durationMs: 1, responseTimeMs: 1 }],
      report,
    );
    const core = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    // … and those each check type declares (written only when such a check runs).
    const perType = CHECK_TYPES.flatMap((type) =>
      Object.keys(checkFor(type).metrics?.families ?? {}).map((name) => `neuronova_${name}`),
    );
    assert.ok(
      core.includes('neuronova_check_status') && perType.includes('neuronova_disk_used_ratio'),
      'the families were not found',
    );
    const reference = readDoc('docs/reference.md');
    const missing = [...new Set([...core, ...perType])].filter((name) => !reference.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, [], `add these to "Prometheus metrics" in docs/reference.md:\n  ${missing.join('\n  ')}`);
  });
});
