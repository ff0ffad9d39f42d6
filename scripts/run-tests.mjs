// Runs every test/**/*.test.ts with node's own test runner (TypeScript through tsx): the files in parallel, then the
// response-time comparisons of test/timing/ one file at a time on an otherwise idle runner, because they compare our
// figures with curl, redis-cli and pg on the same machine and other test files' CPU work would be charged to both.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// `node scripts/run-tests.mjs test/checks` runs one folder; no argument runs them all.
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots.flatMap((root) => (root.endsWith('.ts') ? [root] : findTests(root))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const isTiming = (file) => file.split(sep).includes('timing');
const run = (group, concurrency) =>
  group.length === 0
    ? 0
    : (spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...group], {
        stdio: 'inherit',
        env: { ...process.env, NO_COLOR: '1' },
      }).status ?? 1);
const parallel = run(
  files.filter((file) => !isTiming(file)),
  4,
);
const timing = run(files.filter(isTiming), 1);
process.exit(parallel || timing);
