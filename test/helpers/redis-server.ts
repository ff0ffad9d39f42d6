// Test helper: a throwaway redis-server on a free loopback port, with a password (and optionally an ACL user, TLS).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, skipUnless } from './binaries.js';
import { freePort } from './silent-listener.js';

export const REDIS_SERVER = findBinary('redis-server');
export const redisSkip = skipUnless(REDIS_SERVER !== undefined, 'redis-server', 'redis-server');

export interface RedisServerOptions {
  password: string;
  /** An extra ACL user with its own password. */
  aclUser?: { name: string; password: string };
  /** Serve TLS only, with these PEM files. */
  tls?: { cert: string; key: string };
}

export interface RedisServer {
  port: number;
  /** Whatever redis-server printed, to show when a test fails. */
  output(): string;
  stop(): Promise<void>;
}

export async function startRedis(options: RedisServerOptions): Promise<RedisServer> {
  if (!REDIS_SERVER)
    throw new Error('redis-server not found: install the Debian package redis-server (CI must not skip these tests)');
  // A free port can be taken by someone else between the probe and the bind: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await startOnce(REDIS_SERVER, options, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, options: RedisServerOptions, port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nn-redis-'));
  const args = [
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--requirepass',
    options.password,
  ];
  if (options.tls) {
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      options.tls.cert,
      '--tls-key-file',
      options.tls.key,
      '--tls-ca-cert-file',
      options.tls.cert,
      '--tls-auth-clients',
      'no',
    );
  } else {
    args.push('--port', String(port));
  }
  if (options.aclUser)
    args.push('--user', options.aclUser.name, 'on', `>${options.aclUser.password}`, '~*', '&*', '+@all');
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const onData = () => {
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    await cleanUp();
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }
  return { port, output: () => output, stop: cleanUp };
}
