// Test helper: runs the built program (bin/neuronova-health-check.js → dist/) as a user would, and collects what it printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BINARY = `${ROOT}bin/neuronova-health-check.js`;

export interface BinaryRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm test` builds first; run alone, a test needs `npm run build` before it (the test does not build: others may be reading dist/). */
export function runBinary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<BinaryRun> {
  if (!existsSync(`${ROOT}dist/cli.js`)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does it)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
