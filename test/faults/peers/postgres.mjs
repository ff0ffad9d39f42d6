// A hostile PostgreSQL server for the fault tests: `node postgres.mjs ATTACK` listens on 127.0.0.1 (port 0), prints
// {"port":N} as its first stdout line, and answers every client's startup with the broken protocol ATTACK names.
//   gss, sspi       AuthenticationGSS / AuthenticationSSPI requests (pg cannot do either)
//   sasl-unknown    AuthenticationSASL offering only a mechanism nobody knows
//   short-R         an authentication message whose length is too short to hold its code
//   malformed-E     the 8-byte ErrorResponse 45 00 00 00 08 53 78 78 78 (its field list never ends)
//   malformed-N     the same as a NoticeResponse
//   short-K         AuthenticationOk, then a BackendKeyData too short for its two integers
//   flood           AuthenticationOk, then a message claiming 1 GiB and endless bytes of it
//   silent          accepts and reads, never writes
//   drip            one byte a second of an endless notice
import { createServer } from 'node:net';

const attack = process.argv[2];
const ATTACKS = [
  'gss',
  'sspi',
  'sasl-unknown',
  'short-R',
  'malformed-E',
  'malformed-N',
  'short-K',
  'flood',
  'silent',
  'drip',
];
if (!ATTACKS.includes(attack)) {
  process.stderr.write(`usage: node postgres.mjs ${ATTACKS.join('|')}\n`);
  process.exit(2);
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** A backend message: type byte, int32 length (itself included), body. */
function message(type, body = Buffer.alloc(0)) {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const AUTH_OK = message('R', int32(0));

/** What the peer says once the client's StartupMessage arrived. */
function answer(socket) {
  switch (attack) {
    case 'gss':
      return socket.write(message('R', int32(7)));
    case 'sspi':
      return socket.write(message('R', int32(9)));
    case 'sasl-unknown':
      return socket.write(message('R', Buffer.concat([int32(10), Buffer.from('X-NOBODY-KNOWS\0\0', 'latin1')])));
    case 'short-R':
      return socket.write(Buffer.from([0x52, 0, 0, 0, 6, 0, 0]));
    case 'malformed-E':
      return socket.write(Buffer.from([0x45, 0, 0, 0, 8, 0x53, 0x78, 0x78, 0x78]));
    case 'malformed-N':
      return socket.write(Buffer.from([0x4e, 0, 0, 0, 8, 0x53, 0x78, 0x78, 0x78]));
    case 'short-K':
      return socket.write(Buffer.concat([AUTH_OK, Buffer.from([0x4b, 0, 0, 0, 8, 0, 0, 0, 1])]));
    case 'flood':
      return flood(socket);
    case 'silent':
      return undefined;
    case 'drip':
      return drip(socket);
  }
}

function flood(socket) {
  const header = Buffer.concat([AUTH_OK, Buffer.from([0x4e]), int32(0x40000000)]);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  socket.write(header);
  // Endless, but at the reader's pace: the peer itself must not grow while the client stops reading.
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', pump);
  pump();
}

function drip(socket) {
  const notice = Buffer.concat([AUTH_OK, message('N', Buffer.from('SNOTICE\0Mdrip\0\0', 'latin1'))]);
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write(notice.subarray(at % notice.length, (at % notice.length) + 1));
    at++;
  }, 1000);
  socket.on('close', () => clearInterval(timer));
}

const server = createServer((socket) => {
  socket.on('error', () => undefined);
  let pending = Buffer.alloc(0);
  let started = false;
  socket.on('data', (data) => {
    if (started) return;
    pending = Buffer.concat([pending, data]);
    // The client's first messages have no type byte: int32 length, int32 code (SSLRequest, GSSENCRequest, startup).
    while (!started && pending.length >= 8) {
      const length = pending.readInt32BE(0);
      if (pending.length < length) return;
      const code = pending.readInt32BE(4);
      pending = pending.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write('N');
        continue;
      }
      started = true;
      answer(socket);
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
