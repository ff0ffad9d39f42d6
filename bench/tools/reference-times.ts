// What the reference tools say a local peer takes (curl, redis-cli, a warm node pg, a raw connect), for the timing
// test (test/timing/datastores.test.ts) and the overhead bench (bench/response-time-overhead.mjs) alike.
import { execFile, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One TCP connect from this process: connect() called → `connect` event, in ms. */
export function rawConnectMs(port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port });
    socket.once('connect', () => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve(ms);
    });
    socket.once('error', reject);
  });
}

/**
 * `redis-cli --latency` on a warm connection: PING round trips for `seconds`, their average in ms. redis-cli
 * prints "min max avg samples" when its output is not a terminal.
 */
export function redisCliLatencyMs(port: number, password: string, seconds = 1): number {
  const run = spawnSync(
    'redis-cli',
    ['-h', '127.0.0.1', '-p', String(port), '-a', password, '--no-auth-warning', '--latency', '-i', String(seconds)],
    {
      encoding: 'utf8',
      timeout: (seconds + 10) * 1000,
    },
  );
  const fields = run.stdout.trim().split(/\s+/).map(Number);
  if (run.status !== 0 || fields.length !== 4 || !Number.isFinite(fields[2]))
    throw new Error(`redis-cli --latency: ${run.stdout}${run.stderr}`);
  return fields[2]!;
}

type Pg = typeof import('pg');

/** A warm node `pg` in this process: new connection, SELECT 1, in ms from connect() to the answer (goodbye not counted). */
export async function pgSelectOneMs(pg: Pg, connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  const started = performance.now();
  await client.connect();
  await client.query('SELECT 1');
  const ms = performance.now() - started;
  await client.end();
  return ms;
}

/** curl's own `time_total` (DNS + connect + request + whole body) for one GET, in ms; async, so a server in this process can answer. */
export async function curlTotalMs(url: string): Promise<number> {
  const { stdout } = await promisify(execFile)('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', url], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  const seconds = Number(stdout.trim());
  if (!Number.isFinite(seconds)) throw new Error(`curl ${url}: printed ${stdout}`);
  return seconds * 1000;
}

/** `within(reported, reference)`: the bound, 2 ms + 20 % of the reference, either way. */
export function withinBound(reported: number, reference: number, slackMs = 2, share = 0.2): boolean {
  return Math.abs(reported - reference) <= slackMs + share * reference;
}
