// Test helper: the built `serve` as a real child process on 127.0.0.1 (port 0), its URL read from its first line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { BIN, baseEnv, ensureBuilt, REPO } from '../helpers/cli.js';

export interface ServeProcess {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  base: string;
  child: ChildProcess;
  dir: string;
  stderr(): string;
  /** SIGTERM and wait; resolves with the exit code and how long it took (ms). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** What a helper needs of a test: somewhere to register its cleanup (a TestContext, or a suite's own list). */
export type Cleanup = Pick<TestContext, 'after'>;

export function tempDir(t: Cleanup, prefix = 'nn-serve-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Write `yaml` (with `DIR` replaced by a fresh temp dir) as the config and start serve on it. The state, log and
 * access log live in that dir; the process is stopped when the test ends.
 */
export async function startServe(t: Cleanup, yaml: string, args: string[] = []): Promise<ServeProcess> {
  await ensureBuilt();
  const dir = tempDir(t);
  const config = join(dir, 'config.yml');
  writeFileSync(config, yaml.replaceAll('DIR', dir));
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--listen', '127.0.0.1:0', ...args], {
    cwd: REPO,
    env: baseEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const base = await new Promise<string>((resolve, reject) => {
    void exited.then(({ code }) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const match = /^serving (http:\/\/[^/\s]+)\//.exec(line);
      if (match) resolve(match[1]!);
      else reject(new Error(`unexpected first line: ${line}`));
    });
  });
  return {
    base,
    child,
    dir,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      const started = performance.now();
      child.kill(signal);
      const result = await exited;
      return { ...result, ms: performance.now() - started };
    },
  };
}

/** Collect the full answer of a request (status, headers, body text). */
/** For a suite's before(): cleanups collected here and run by `run()` in its after(). */
export function suiteCleanup(): Cleanup & { run(): Promise<void> } {
  const steps: (() => unknown)[] = [];
  return {
    after: ((fn: () => unknown) => void steps.push(fn)) as Cleanup['after'],
    async run() {
      for (const step of steps.reverse()) await step();
    },
  };
}

export async function get(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; json(): any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
