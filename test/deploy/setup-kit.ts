// Shared helpers for the deploy tests: run setup_monitoring.sh into a temp staging root and look at what it left.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SETUP = join(REPO, 'deploy/monitoring/setup_monitoring.sh');
export const HEALTH_CHECK_SH = join(REPO, 'deploy/monitoring/health_check.sh');
export const PROGRAM = join(REPO, 'bin/neuronova-health-check.js');
export const NAME = 'neuronova-health-check';
export const CRON_LINE =
  '*/5 * * * * root /usr/local/bin/neuronova-health-check --quiet >> /var/log/neuronova/cron.log 2>&1';
export const CRON_PATH_LINE = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

// The setup script installs the built program; a missing build is a setup problem of the test run, say so plainly.
export function requireBuild(): void {
  assert.ok(
    existsSync(join(REPO, 'dist/cli.js')),
    'dist/cli.js is missing: run `npm run build` before the deploy tests',
  );
}

export function tempDir(t: TestContext, prefix = 'nn-deploy-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 180_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function setup(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  return run('bash', [SETUP, ...args], env);
}

// Runs setup and fails the test with its whole output when it does not succeed.
export function setupOk(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = setup(args, env);
  assert.equal(result.status, 0, `setup_monitoring.sh ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

export function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * A private copy of the built tree (what a release tarball holds), so a test is not disturbed
 * by someone rebuilding dist/ or editing README.md in the shared working tree meanwhile.
 * node_modules is linked, not copied: the setup script copies the production packages out of it.
 */
export function snapshotSource(
  t: TestContext,
  opts: { version?: string; marker?: string; logrotateNote?: string } = {},
): string {
  const dir = tempDir(t, 'nn-src-');
  for (const item of ['bin', 'dist', 'deploy', 'systemd', 'logrotate', 'package.json', 'package-lock.json']) {
    cpSync(join(REPO, item), join(dir, item), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  if (opts.version) {
    const pkg = JSON.parse(read(join(dir, 'package.json'))) as { version: string };
    pkg.version = opts.version;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  }
  if (opts.marker) writeFileSync(join(dir, 'dist', 'BUILD-MARKER'), opts.marker + '\n');
  if (opts.logrotateNote)
    writeFileSync(
      join(dir, 'logrotate/neuronova'),
      `# ${opts.logrotateNote}\n` + read(join(dir, 'logrotate/neuronova')),
    );
  return dir;
}

export function packageVersion(dir = REPO): string {
  return (JSON.parse(read(join(dir, 'package.json'))) as { version: string }).version;
}
