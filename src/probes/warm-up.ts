// Inside a probe worker, before the clock starts: one whole exchange with a stand-in server on loopback in this same
// thread, so the real check runs through code that is already compiled. A fresh worker is a fresh V8 isolate: its
// first connect, first encode and first parse run cold and cost 5–40 ms that are not the peer's (docs/checks-timing.md).
// The stand-ins speak just enough protocol for the client's own happy path; nothing here talks to the real peer.
import { connect, createServer, type Server, type Socket } from 'node:net';

type Pg = typeof import('pg');
type Redis = typeof import('redis');

/** A loopback server in this thread that answers with `onConnection`, closed (with its sockets) after `use`. */
async function withStandIn(onConnection: (socket: Socket) => void, use: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use((server.address() as { port: number }).port);
  } catch {
    // A warm-up that fails only leaves the real exchange colder; the check still runs.
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function warmUpTcp(): Promise<void> {
  return withStandIn(
    (socket) => socket.end(),
    (port) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
  );
}

/** Commands in a RESP buffer (arrays of bulk strings, as node-redis sends them): their names, upper-cased. */
function respCommands(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\*\d+\r\n\$\d+\r\n([^\r]*)\r\n/g)) names.push(match[1]!.toUpperCase());
  return names;
}

/** The job's URL with its host and port replaced by the stand-in's, credentials and database kept (AUTH, SELECT). */
function standInRedisUrl(url: string, port: number): string {
  if (!/^rediss?:/i.test(url)) return `redis://127.0.0.1:${port}`;
  const parsed = new URL(url);
  parsed.protocol = 'redis:';
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

/** What a Redis 7 answers (HELLO 3: a RESP3 map, decoded by code a +OK never reaches); +OK to anything else. */
const REDIS_REPLIES: Record<string, string> = {
  HELLO: '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
  PING: '+PONG\r\n',
};

export function warmUpRedis(redis: Redis, url: string): Promise<void> {
  return withStandIn(
    (socket) =>
      socket.on('data', (data) => {
        for (const name of respCommands(data.toString('latin1'))) socket.write(REDIS_REPLIES[name] ?? '+OK\r\n');
      }),
    async (port) => {
      const client = redis.createClient({
        url: standInRedisUrl(url, port),
        socket: { reconnectStrategy: false, connectTimeout: 1000 },
        disableClientInfo: true,
        maintNotifications: 'disabled',
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.destroy();
      }
    },
  );
}

/** One backend message: type byte, int32 length (itself included), body. */
function pgMessage(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A PostgreSQL that trusts everyone and answers every query with one row, `ok = 1`. */
function pgStandIn(socket: Socket): void {
  let started = false;
  const ready = pgMessage('Z', Buffer.from('I'));
  // RowDescription for one int4 column "ok", DataRow "1", CommandComplete "SELECT 1".
  const column = Buffer.alloc(18);
  column.writeInt32BE(23, 6); // type oid int4
  column.writeInt16BE(4, 10); // type size
  column.writeInt32BE(-1, 12); // type modifier
  const rows = Buffer.concat([
    pgMessage('T', Buffer.concat([Buffer.from([0, 1]), Buffer.from('ok\0', 'latin1'), column])),
    pgMessage('D', Buffer.from([0, 1, 0, 0, 0, 1, 0x31])),
    pgMessage('C', Buffer.from('SELECT 1\0', 'latin1')),
    ready,
  ]);
  socket.on('data', (data) => {
    if (!started) {
      started = true;
      const key = Buffer.alloc(8);
      socket.write(Buffer.concat([pgMessage('R', Buffer.alloc(4)), pgMessage('K', key), ready]));
    } else if (data[0] === 0x51 /* Q */) {
      socket.write(rows);
    }
  });
}

/**
 * pg answers SCRAM-SHA-256 (PostgreSQL's default authentication) with Web Crypto, whose code a fresh isolate has
 * never run: the primitives pg calls, once, with one PBKDF2 round (the stand-in trusts, so it never asks for them).
 */
async function warmUpScram(): Promise<void> {
  const { subtle, getRandomValues } = globalThis.crypto;
  const salt = getRandomValues.call(globalThis.crypto, new Uint8Array(16));
  const password = await subtle.importKey('raw', new TextEncoder().encode('warm-up'), 'PBKDF2', false, ['deriveBits']);
  const salted = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1 }, password, 256);
  const key = await subtle.importKey('raw', salted, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  await subtle.digest('SHA-256', await subtle.sign('HMAC', key, new TextEncoder().encode('Client Key')));
}

export function warmUpPostgres(pg: Pg): Promise<void> {
  return withStandIn(pgStandIn, async (port) => {
    await warmUpScram();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'warm-up', database: 'warm-up', ssl: false, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('SELECT 1 AS ok');
    await client.end();
  });
}
