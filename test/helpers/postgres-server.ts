// Test helper: a throwaway PostgreSQL (initdb + pg_ctl in a temp dir) on a free loopback port, with a password user.
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, postgresBinDirs, skipUnless } from './binaries.js';
import { freePort } from './silent-listener.js';

const BIN_DIRS = postgresBinDirs();
const INITDB = findBinary('initdb', BIN_DIRS);
const PG_CTL = findBinary('pg_ctl', BIN_DIRS);
const IS_ROOT = process.getuid?.() === 0;

/** initdb refuses to run as root: as root (CI) the server runs as the `postgres` user the Debian package creates. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) return undefined;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}
const RUN_AS = IS_ROOT ? postgresUser() : undefined;

export const postgresSkip = skipUnless(
  INITDB !== undefined && PG_CTL !== undefined && (!IS_ROOT || RUN_AS !== undefined),
  'PostgreSQL server (initdb, pg_ctl)',
  'postgresql',
);

export interface PostgresServerOptions {
  /** Superuser name and its password (scram-sha-256 over TCP). */
  user: string;
  password: string;
  /** A database to create besides `postgres`. */
  database?: string;
  /** Turn TLS on with these PEM files (copied in, owned by the server's user). */
  tls?: { cert: string; key: string };
}

export interface PostgresServer {
  port: number;
  /** The directory holding the unix socket (`.s.PGSQL.<port>`). */
  socketDir: string;
  /** The server's own log, to show when a test fails. */
  log(): string;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL program as the server's user (root → `postgres` via runuser). */
function runAsServerUser(program: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const options: ExecFileSyncOptionsWithStringEncoding = {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  if (!RUN_AS) return execFileSync(program, args, options);
  const runuser = findBinary('runuser');
  if (runuser) return execFileSync(runuser, ['-u', 'postgres', '--', program, ...args], options);
  const quoted = [program, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], options);
}

function giveToServerUser(path: string): void {
  if (RUN_AS) chownSync(path, RUN_AS.uid, RUN_AS.gid);
}

export async function startPostgres(options: PostgresServerOptions): Promise<PostgresServer> {
  if (!INITDB || !PG_CTL) {
    throw new Error(
      'initdb/pg_ctl not found under /usr/lib/postgresql/*/bin: install the Debian package postgresql (CI must not skip these tests)',
    );
  }
  if (IS_ROOT && !RUN_AS)
    throw new Error(
      'running as root and there is no `postgres` user to run initdb as (install the Debian package postgresql)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'nn-pg-'));
  giveToServerUser(dir);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const cleanUp = () => {
    try {
      runAsServerUser(PG_CTL, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // never started, or already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pwFile = join(dir, 'pw');
    writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
    giveToServerUser(pwFile);
    runAsServerUser(INITDB, [
      '-D',
      data,
      '-U',
      options.user,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    rmSync(pwFile);

    const settings = ['-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=20'];
    if (options.tls) {
      for (const [from, name] of [
        [options.tls.cert, 'server.crt'],
        [options.tls.key, 'server.key'],
      ] as const) {
        const to = join(data, name);
        copyFileSync(from, to);
        chmodSync(to, 0o600);
        giveToServerUser(to);
      }
      settings.push('-c', 'ssl=on');
    }
    // Free ports can be taken between the probe and the bind: try a few.
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      try {
        runAsServerUser(PG_CTL, [
          '-D',
          data,
          '-l',
          logFile,
          '-w',
          '-t',
          '30',
          '-o',
          [...settings, '-p', String(port)].join(' '),
          'start',
        ]);
      } catch (error) {
        if (attempt < 4 && /could not bind|Address already in use/i.test(readLog())) continue;
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${readLog()}`);
      }
      if (options.database) {
        const createdb = findBinary('createdb', BIN_DIRS);
        if (!createdb) throw new Error('createdb not found (Debian package postgresql-client)');
        execFileSync(createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', options.user, options.database], {
          env: { ...process.env, PGPASSWORD: options.password },
          stdio: 'ignore',
        });
      }
      return {
        port,
        socketDir: dir,
        log: readLog,
        stop: async () => cleanUp(),
      };
    }
  } catch (error) {
    cleanUp();
    throw error;
  }
}
