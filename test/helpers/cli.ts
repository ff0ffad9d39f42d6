// Test helper for end-to-end tests: build dist/ when it is missing, and run the BUILT binary
// (`node bin/neuronova-health-check.js`) as a child process, asynchronously so test servers in this process can answer.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'bin', 'neuronova-health-check.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const built = join(REPO, 'dist', 'cli.js');
  if (!existsSync(built)) return false;
  const inputs = Math.max(newestMtime(join(REPO, 'src')), statSync(join(REPO, 'scripts', 'build.mjs')).mtimeMs);
  return statSync(built).mtimeMs >= inputs;
}

/**
 * Make sure dist/ exists: `npm test` builds before the tests; a test file run alone builds it when it is missing.
 * It never rebuilds a dist/ that exists, even an older one: test files run in parallel, and the build empties dist/
 * first, which would pull the binary from under the runs of the other files (seen: ERR_MODULE_NOT_FOUND). A stale
 * dist/ is only reported, once.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `neuronova-build-lock-${REPO.replace(/[^A-Za-z0-9]/g, '_')}`);
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed test process for more than a minute is stale
      const held = statSync(lock, { throwIfNoEntry: false });
      if (waited > 60_000 || (held && Date.now() - held.mtimeMs > 60_000))
        rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (existsSync(join(REPO, 'dist', 'cli.js'))) {
      if (!isFresh() && !warned) {
        warned = true;
        process.stderr.write(
          '# dist/ is older than src/: these end-to-end tests run the old build (run `npm run build`, or `npm test`)\n',
        );
      }
      return;
    }
    const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
let warned = false;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Replaces the inherited environment's variables of the same name; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called once the process is started (to kill it mid-way, for instance). */
  started?: (pid: number) => void;
}

/** The environment a run gets: the test's own, minus anything that would point the program elsewhere. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NEURONOVA_HEALTH_CONFIG', 'ALERT_EMAIL', 'SLACK_WEBHOOK', 'NEURONOVA_DEBUG', 'FORCE_COLOR'])
    delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Run the built binary with `args`; resolves when it exits (never rejects on a non-zero exit). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: baseEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('spawn', () => options.started?.(child.pid!));
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
