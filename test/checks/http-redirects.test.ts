// The `http` check's redirects against two real node:http servers on two loopback addresses (127.0.0.1 and
// 127.0.0.2, two origins): secrets stay with their origin, loops and long chains are CRITICAL, only http(s) is
// followed. Also the byte and time caps a hostile server meets: huge headers, a body that drips forever.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runYaml } from '../helpers/check-run.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Recorder {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A node:http server on `host` that records every request (headers and body) and answers by `route`. */
async function recorder(
  host: string,
  route: (req: IncomingMessage, res: ServerResponse, self: Recorder) => void,
): Promise<Recorder> {
  const sockets = new Set<Socket>();
  const self: Recorder = { origin: '', seen: [], close: async () => undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      self.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      route(req, res, self);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  self.origin = `http://${host}:${(server.address() as { port: number }).port}`;
  self.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return self;
}

const redirect = (res: ServerResponse, status: number, location: string) =>
  void res.writeHead(status, { location }).end();

/** One http check as a YAML list item. */
const item = (name: string, url: string, extra = '') =>
  `  - { name: ${name}, type: http, url: "${url}", timeout: 3s${extra} }\n`;
const SECRETS = ', headers: { Authorization: "Bearer s3cret-token", X-Api-Key: key-123 }';

describe('http redirects like curl and browsers', () => {
  let a: Recorder; // the configured origin, 127.0.0.1
  let b: Recorder; // another host, 127.0.0.2
  let aOtherPort: Recorder; // same host, another port: another origin too

  before(async () => {
    b = await recorder('127.0.0.2', (req, res) => {
      if (req.url === '/back') return redirect(res, 302, `${a.origin}/landing`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('other host');
    });
    aOtherPort = await recorder('127.0.0.1', (_req, res) => void res.writeHead(200).end('other port'));
    a = await recorder('127.0.0.1', (req, res, self) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/to-b') return redirect(res, 302, `${b.origin}/target`);
      if (path === '/to-b-with-creds')
        return redirect(res, 307, `${b.origin.replace('http://', 'http://user:pw@')}/target`);
      if (path === '/to-port') return redirect(res, 301, `${aOtherPort.origin}/target`);
      if (path === '/to-b-and-back') return redirect(res, 302, `${b.origin}/back`);
      if (path === '/same') return redirect(res, 302, '/landing');
      if (path === '/same-absolute') return redirect(res, 302, `${self.origin}/landing`);
      if (path === '/loop-1') return redirect(res, 302, '/loop-2');
      if (path === '/loop-2') return redirect(res, 302, '/loop-1');
      if (path.startsWith('/chain/')) return redirect(res, 302, `/chain/${Number(path.slice(7)) + 1}`);
      if (path === '/to-file') return redirect(res, 302, 'file:///etc/shadow');
      if (path === '/to-ftp') return redirect(res, 302, 'ftp://127.0.0.1/pub/');
      if (path === '/to-garbage') return redirect(res, 302, 'http://[not-an-address/');
      if (path === '/post-303') return redirect(res, 303, '/landing');
      if (path === '/post-307') return redirect(res, 307, '/landing');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('landed');
    });
  });
  after(async () => {
    await Promise.all([a.close(), b.close(), aOtherPort.close()]);
  });

  const lastAt = (server: Recorder) => server.seen.at(-1)!;

  test('leaving the origin (another host) drops Authorization, every configured header and URL credentials', async () => {
    const url = `${a.origin.replace('http://', 'http://admin:pa55@')}/to-b`;
    const run = await runYaml(item('cross', url, `, follow_redirects: true${SECRETS}`));
    assert.equal(run.report.services.cross!.level, 'OK');
    assert.equal(run.report.services.cross!.message, 'HTTP 200 OK');
    assert.equal(run.report.services.cross!.redirects, 1);
    // the configured origin got them all …
    const first = lastAt(a).headers;
    assert.equal(first.authorization, 'Bearer s3cret-token');
    assert.equal(first['x-api-key'], 'key-123');
    // … the other host none: not the header, not the Basic credentials from the URL
    const second = lastAt(b).headers;
    assert.equal(second.authorization, undefined);
    assert.equal(second['x-api-key'], undefined);
    assert.equal(lastAt(b).path, '/target');
  });

  test('credentials the Location itself names for another host are not sent either', async () => {
    await runYaml(item('creds', `${a.origin}/to-b-with-creds`, `, follow_redirects: true${SECRETS}`));
    assert.equal(lastAt(b).headers.authorization, undefined);
  });

  test('another port on the same host is another origin: the headers are dropped', async () => {
    const run = await runYaml(item('port', `${a.origin}/to-port`, `, follow_redirects: true${SECRETS}`));
    assert.equal(run.report.services.port!.level, 'OK');
    assert.equal(lastAt(aOtherPort).headers.authorization, undefined);
    assert.equal(lastAt(aOtherPort).headers['x-api-key'], undefined);
  });

  test('a chain that leaves and comes back does not get the secrets back', async () => {
    const run = await runYaml(item('back', `${a.origin}/to-b-and-back`, `, follow_redirects: true${SECRETS}`));
    assert.equal(run.report.services.back!.level, 'OK');
    assert.equal(lastAt(a).path, '/landing');
    assert.equal(lastAt(a).headers.authorization, undefined);
  });

  test('within the origin (relative or absolute Location) the configured headers and credentials are kept', async () => {
    const url = `${a.origin.replace('http://', 'http://admin:pa55@')}`;
    for (const path of ['/same', '/same-absolute']) {
      const run = await runYaml(item('same', `${url}${path}`, `, follow_redirects: true${SECRETS}`));
      assert.equal(run.report.services.same!.level, 'OK');
      const landed = lastAt(a);
      assert.equal(landed.path, '/landing');
      assert.equal(landed.headers.authorization, 'Bearer s3cret-token');
      assert.equal(landed.headers['x-api-key'], 'key-123');
    }
    // credentials from the URL alone (no Authorization header configured) follow within the origin as Basic auth
    await runYaml(item('basic', `${url}/same-absolute`, ', follow_redirects: true'));
    assert.equal(lastAt(a).headers.authorization, `Basic ${Buffer.from('admin:pa55').toString('base64')}`);
  });

  test('a redirect loop is CRITICAL, never OK, and says where it loops', async () => {
    const before = a.seen.length;
    const run = await runYaml(item('loop', `${a.origin}/loop-1`, ', follow_redirects: true'));
    assert.equal(run.report.services.loop!.level, 'CRITICAL');
    assert.equal(run.report.services.loop!.message, `HTTP 302 Found, redirect loop: ${a.origin}/loop-1 again`);
    assert.equal(a.seen.length - before, 2, 'each URL of the loop was asked once');
  });

  test('more redirects than allowed is CRITICAL "too many redirects (N)"; follow_redirects: N sets the limit', async () => {
    let before = a.seen.length;
    const run = await runYaml(item('chain', `${a.origin}/chain/0`, ', follow_redirects: true'));
    assert.equal(run.report.services.chain!.level, 'CRITICAL');
    assert.equal(run.report.services.chain!.message, 'HTTP 302 Found, too many redirects (5)');
    assert.equal(a.seen.length - before, 6, 'the first request and 5 redirects');

    before = a.seen.length;
    const two = await runYaml(item('chain2', `${a.origin}/chain/0`, ', follow_redirects: 2'));
    assert.equal(two.report.services.chain2!.message, 'HTTP 302 Found, too many redirects (2)');
    assert.equal(a.seen.length - before, 3);
  });

  test('a redirect to file:// or ftp:// is refused (CRITICAL), as is a Location that is no URL', async () => {
    const run = await runYaml(
      item('file', `${a.origin}/to-file`, ', follow_redirects: true') +
        item('ftp', `${a.origin}/to-ftp`, ', follow_redirects: true') +
        item('garbage', `${a.origin}/to-garbage`, ', follow_redirects: true'),
    );
    assert.equal(run.report.services.file!.level, 'CRITICAL');
    assert.equal(
      run.report.services.file!.message,
      'HTTP 302 Found, redirect to a file: URL refused (only http and https are followed)',
    );
    assert.equal(run.report.services.ftp!.level, 'CRITICAL');
    assert.equal(
      run.report.services.ftp!.message,
      'HTTP 302 Found, redirect to a ftp: URL refused (only http and https are followed)',
    );
    assert.equal(run.report.services.garbage!.level, 'CRITICAL');
    assert.equal(run.report.services.garbage!.message, 'HTTP 302 Found, redirect to an invalid location');
  });

  test('303 after a POST is followed with a GET without the body; 307 repeats the POST with its body', async () => {
    const post =
      ', method: POST, body: "{\\"ping\\":1}", headers: { Content-Type: application/json }, follow_redirects: true';
    await runYaml(item('see-other', `${a.origin}/post-303`, post));
    assert.equal(lastAt(a).method, 'GET');
    assert.equal(lastAt(a).body, '');
    assert.equal(lastAt(a).headers['content-type'], undefined);
    await runYaml(item('temporary', `${a.origin}/post-307`, post));
    assert.equal(lastAt(a).method, 'POST');
    assert.equal(lastAt(a).body, '{"ping":1}');
  });

  test('without follow_redirects the redirect is the answer, and its target is never asked', async () => {
    const before = b.seen.length;
    const run = await runYaml(item('stay', `${a.origin}/to-b`, SECRETS));
    assert.equal(run.report.services.stay!.message, 'HTTP 302 Found');
    assert.equal(b.seen.length, before);
  });
});

describe('http: what a hostile server sends is capped in bytes and in time', () => {
  let raw: Server;
  let port: number;
  const sockets = new Set<Socket>();
  before(async () => {
    raw = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.once('data', (request) => {
        const path = request.toString().split(' ')[1];
        if (path === '/huge-headers') {
          // 200 headers of 1 KiB: 200 KiB of header bytes before any body
          socket.write('HTTP/1.1 200 OK\r\n');
          for (let i = 0; i < 200; i++) socket.write(`x-filler-${i}: ${'a'.repeat(1024)}\r\n`);
          socket.end('content-length: 2\r\n\r\nok');
        } else {
          // a body that drips one byte every 50 ms and never ends
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n');
          const drip = setInterval(() => socket.write('1\r\nx\r\n'), 50);
          socket.on('close', () => clearInterval(drip));
        }
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    port = (raw.address() as { port: number }).port;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => raw.close(resolve));
  });

  test('response headers past 64 KiB are CRITICAL, not read on', async () => {
    const run = await runYaml(item('headers', `http://127.0.0.1:${port}/huge-headers`));
    assert.equal(run.report.services.headers!.level, 'CRITICAL');
    assert.equal(run.report.services.headers!.message, 'response headers larger than 64 KiB');
  });

  test('a body that drips forever ends at the timeout, CRITICAL', async () => {
    const run = await runYaml(`  - { name: drip, type: http, url: "http://127.0.0.1:${port}/drip", timeout: 600ms }\n`);
    assert.equal(run.report.services.drip!.level, 'CRITICAL');
    assert.equal(run.report.services.drip!.message, 'no answer within 600ms (timeout)');
    // all its sockets are closed: the drip stopped
    for (let i = 0; i < 50 && sockets.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(sockets.size, 0, 'the check left its connection open');
  });
});
