// A hostile HTTP server for the fault tests: `node http.mjs ATTACK` listens on 127.0.0.1 (port 0), prints
// {"port":N} as its first stdout line (the protocol of start-peer.ts), and answers every request as ATTACK says.
//   silent         accepts and reads, never writes a byte (a hung server; also the heartbeat that never answers)
//   drip           a 200 status line, then one byte of an endless header a second
//   huge-body      200 with Content-Length 1 GB, then the gigabyte, at the reader's pace
//   redirect-loop  302 to itself, for ever
//   cross-origin   302 to a second listener (another port: another origin), which answers 403 "leaked" when the
//                  request still carries an Authorization or X-Api-Key header, and 200 "ok" when it does not
import { createServer as createTcpServer } from 'node:net';
import { createServer } from 'node:http';

const attack = process.argv[2];
const ATTACKS = ['silent', 'drip', 'huge-body', 'redirect-loop', 'cross-origin'];
if (!ATTACKS.includes(attack)) {
  process.stderr.write(`usage: node http.mjs ${ATTACKS.join('|')}\n`);
  process.exit(2);
}

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const announce = (port) => process.stdout.write(`${JSON.stringify({ port })}\n`);

/** A raw TCP server: `onSocket` gets every connection, errors from the client side are ignored. */
const tcp = (onSocket) =>
  createTcpServer((socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });

const GIGABYTE = 1_000_000_000;

switch (attack) {
  case 'silent':
    announce(await listen(tcp((socket) => socket.resume())));
    break;
  case 'drip':
    announce(
      await listen(
        tcp((socket) => {
          socket.resume();
          socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
          const timer = setInterval(() => !socket.destroyed && socket.write('a'), 1000);
          socket.on('close', () => clearInterval(timer));
        }),
      ),
    );
    break;
  case 'huge-body':
    announce(
      await listen(
        createServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(GIGABYTE) });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          // At the reader's pace: the peer itself must not grow while the client stops reading.
          const pump = () => {
            while (sent < GIGABYTE && !res.destroyed) {
              const piece = sent + chunk.length <= GIGABYTE ? chunk : chunk.subarray(0, GIGABYTE - sent);
              sent += piece.length;
              if (!res.write(piece)) return;
            }
            if (sent >= GIGABYTE) res.end();
          };
          res.on('drain', pump);
          pump();
        }),
      ),
    );
    break;
  case 'redirect-loop':
    announce(
      await listen(
        createServer((req, res) => {
          req.resume();
          res.writeHead(302, { location: req.url ?? '/' }).end();
        }),
      ),
    );
    break;
  case 'cross-origin': {
    const other = await listen(
      createServer((req, res) => {
        req.resume();
        const leaked = req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined;
        res.writeHead(leaked ? 403 : 200, { 'content-type': 'text/plain' }).end(leaked ? 'leaked\n' : 'ok\n');
      }),
    );
    announce(
      await listen(
        createServer((req, res) => {
          req.resume();
          res.writeHead(302, { location: `http://127.0.0.1:${other}/landing` }).end();
        }),
      ),
    );
    break;
  }
}
process.on('SIGTERM', () => process.exit(0));
