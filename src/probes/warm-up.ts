// Inside a probe worker, before the clock starts: one whole exchange with a stand-in server on loopback in this same
// thread, so the real check runs through code that is already compiled. A fresh worker is a fresh V8 isolate: its
// first connect, first encode and first parse, first SCRAM run cold and cost 5–40 ms that are not the peer's
// (docs/checks-timing.md).
// The stand-ins speak just enough protocol for the client's own happy path; nothing here talks to the real peer.
import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

type Pg = typeof import('pg');
type Redis = typeof import('redis');

/**
 * A loopback server in this thread that answers with `onConnection`, closed (with its sockets) after `use`. Resolves
 * with whether the exchange went through (test/probes/warm-up.test.ts keeps the stand-ins in step with the clients).
 */
async function withStandIn(
  onConnection: (socket: Socket) => void,
  use: (port: number) => Promise<void>,
): Promise<boolean> {
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
    return true;
  } catch {
    // A warm-up that fails only leaves the real exchange colder; the check still runs.
    return false;
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function warmUpTcp(): Promise<boolean> {
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
  HELLO:
    '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
  PING: '+PONG\r\n',
};

export function warmUpRedis(redis: Redis, url: string): Promise<boolean> {
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

/** The SCRAM-SHA-256 server side (RFC 5802, one PBKDF2 round), so pg's own SCRAM code runs once before the clock. */
function scramServer(password: string) {
  const salt = randomBytes(16);
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  let clientFirstBare = '';
  let serverFirst = '';
  return {
    first(clientFirst: string): string {
      clientFirstBare = clientFirst.replace(/^n,,/, '');
      const clientNonce = /r=([^,]*)/.exec(clientFirstBare)?.[1] ?? '';
      serverFirst = `r=${clientNonce}${randomBytes(12).toString('base64')},s=${salt.toString('base64')},i=1`;
      return serverFirst;
    },
    final(clientFinal: string): string {
      const withoutProof = clientFinal.replace(/,p=[^,]*$/, '');
      const saltedPassword = pbkdf2Sync(password, salt, 1, 32, 'sha256');
      const signature = hmac(hmac(saltedPassword, 'Server Key'), `${clientFirstBare},${serverFirst},${withoutProof}`);
      return `v=${signature.toString('base64')}`;
    },
  };
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/**
 * A PostgreSQL that answers every query with one row, `ok = 1`: with SCRAM-SHA-256 when the check has a password
 * (PostgreSQL's default), trusting everyone when it has none.
 */
function pgStandIn(password: string | undefined) {
  return (socket: Socket): void => {
    const ready = pgMessage('Z', Buffer.from('I'));
    const welcome = Buffer.concat([pgMessage('R', int32(0)), pgMessage('K', Buffer.alloc(8)), ready]);
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
    const scram = password === undefined ? undefined : scramServer(password);
    let step: 'startup' | 'sasl-first' | 'sasl-final' | 'ready' = 'startup';
    socket.on('data', (data) => {
      if (step === 'startup') {
        if (!scram) {
          step = 'ready';
          return void socket.write(welcome);
        }
        step = 'sasl-first';
        return void socket.write(
          pgMessage('R', Buffer.concat([int32(10), Buffer.from('SCRAM-SHA-256\0\0', 'latin1')])),
        );
      }
      if (step === 'sasl-first' && data[0] === 0x70 /* p: mechanism, int32 length, client-first-message */) {
        step = 'sasl-final';
        const afterName = data.indexOf(0, 5) + 1;
        return void socket.write(
          pgMessage(
            'R',
            Buffer.concat([int32(11), Buffer.from(scram!.first(data.subarray(afterName + 4).toString('utf8')))]),
          ),
        );
      }
      if (step === 'sasl-final' && data[0] === 0x70 /* p: client-final-message */) {
        step = 'ready';
        const final = pgMessage(
          'R',
          Buffer.concat([int32(12), Buffer.from(scram!.final(data.subarray(5).toString('utf8')))]),
        );
        return void socket.write(Buffer.concat([final, welcome]));
      }
      if (step === 'ready' && data[0] === 0x51 /* Q */) socket.write(rows);
    });
  };
}

/** `connectionString`: the check's, for its password (the stand-in then asks for SCRAM, as PostgreSQL would). */
export function warmUpPostgres(pg: Pg, connectionString: string): Promise<boolean> {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(connectionString).password) || undefined;
  } catch {
    password = undefined;
  }
  return withStandIn(pgStandIn(password), async (port) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'warm-up',
      password,
      database: 'warm-up',
      ssl: false,
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('SELECT 1 AS ok');
    await client.end();
  });
}
