// Runs every fault scenario (test/faults/scenarios.ts) against the built binary, one at a time, and rewrites the
// table in docs/reliability.md between its markers with what was measured.
//
//   node scripts/reliability-table.mjs [--only http,postgres,redis,run] [--print]
//   (--print: show the table, leave the file alone; build first: npm run build)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'reliability.md');
const START = '<!-- reliability-table:start -->';
const END = '<!-- reliability-table:end -->';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const print = args.includes('--print');

const { SCENARIOS } = await tsImport('../test/faults/scenarios.ts', import.meta.url);
const { runScenario, DEADLINE_MS, RSS_LIMIT_MIB } = await tsImport('../test/faults/harness.ts', import.meta.url);
const { exitCode } = await tsImport('../src/levels.ts', import.meta.url);

const rows = [];
for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.group))) {
  const why = scenario.unavailable?.();
  if (why) {
    process.stderr.write(`skip  ${scenario.attack}: ${why}\n`);
    rows.push(
      `| ${scenario.attack} | ${scenario.expected} (${exitCode(scenario.expected)}) | — | — | — | — | not run: ${why} |`,
    );
    continue;
  }
  const outcome = await runScenario(scenario);
  const level = (outcome.stdout.split('\n')[0] ?? '').split(' - ')[0] || '—';
  const verdict =
    outcome.problems.length === 0
      ? 'kept'
      : `**broken**: ${outcome.problems.join('; ').replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 200)}`;
  process.stderr.write(
    `${outcome.problems.length ? 'FAIL' : 'ok  '}  ${scenario.attack}: ${level}, exit ${outcome.code}, ${Math.round(outcome.wallMs)} ms, ${outcome.peakMiB?.toFixed(0)} MiB\n`,
  );
  rows.push(
    `| ${scenario.attack} | ${scenario.expected} (${exitCode(scenario.expected)}) | ${level} (${outcome.code}) | ${Math.round(outcome.wallMs)} | ${outcome.peakMiB?.toFixed(0) ?? '—'} | ${outcome.endedBy} | ${verdict} |`,
  );
}

const table = [
  `Measured on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, \`run --format nagios\` with a ${DEADLINE_MS / 1000} s deadline`,
  `(limits: exit by ${DEADLINE_MS / 1000 + 1} s, peak RSS ≤ ${RSS_LIMIT_MIB} MiB). Regenerate with \`node scripts/reliability-table.mjs\`.`,
  '',
  '| attack | expected (exit) | got (exit) | wall ms | peak MiB | ended by | promises |',
  '|---|---|---|---:|---:|---|---|',
  ...rows,
].join('\n');

if (print) {
  process.stdout.write(table + '\n');
} else {
  const doc = readFileSync(DOC, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC}: no ${START} … ${END} markers`);
  writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
  process.stderr.write(`wrote ${DOC}\n`);
}
