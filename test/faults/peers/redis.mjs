// A hostile Redis server for the fault tests: `node redis.mjs ATTACK` listens on 127.0.0.1 (port 0), prints
// {"port":N} as its first stdout line, and answers every client with the broken protocol ATTACK names.
//   malformed   a reply that is not RESP at all
//   flood       a simple string that never ends (no CRLF), endless bytes of it
//   huge-bulk   `$1000000000\r\n`, then endless bytes of that bulk string
//   silent      accepts and reads, never writes
//   drip        one byte a second of a simple string that never ends
import { createServer } from 'node:net';

const attack = process.argv[2];
const ATTACKS = ['malformed', 'flood', 'huge-bulk', 'silent', 'drip'];
if (!ATTACKS.includes(attack)) {
  process.stderr.write(`usage: node redis.mjs ${ATTACKS.join('|')}\n`);
  process.exit(2);
}

/** Writes `head`, then `chunk` forever at the reader's pace: the peer itself must not grow while the client stalls. */
function endless(socket, head, chunk) {
  socket.write(head);
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', pump);
  pump();
}

function drip(socket) {
  socket.write('+');
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('A')), 1000);
  socket.on('close', () => clearInterval(timer));
}

const server = createServer((socket) => {
  socket.on('error', () => undefined);
  let answered = false;
  socket.on('data', () => {
    // Whatever the client sent first (HELLO, AUTH, SELECT, CLIENT SETINFO, PING), the answer is the attack.
    if (answered) return;
    answered = true;
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    switch (attack) {
      case 'malformed':
        socket.write('?this is not RESP\r\n!!\r\n');
        break;
      case 'flood':
        endless(socket, '+', chunk);
        break;
      case 'huge-bulk':
        endless(socket, '$1000000000\r\n', chunk);
        break;
      case 'silent':
        break;
      case 'drip':
        drip(socket);
        break;
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
