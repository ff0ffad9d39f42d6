// One HTTP request with node:http(s), every byte capped, timed where the bytes move (docs/checks-timing.md).
import { say } from '../i18n/index.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

// node:http rather than undici: a check run is a short process, and undici's WebAssembly parser costs
// ~100 ms to compile and keeps the process alive after the last request (docs/performance.md).
export const BODY_CAP = 1024 * 1024;
/** All response header bytes of one response (node's default is 16 KiB; curl allows 100 KiB per header). */
export const HEADER_CAP = 64 * 1024;

/** Phase ends in ms from the start of the request, like curl's -w time_namelookup, time_connect, … */
export interface Timings {
  /** Name lookup done (absent for an IP address). */
  dns_ms?: number;
  /** TCP connection established. */
  connect_ms: number;
  /** TLS handshake done (https only). */
  tls_ms?: number;
  /** First response byte arrived. */
  first_byte_ms: number;
  /** Last body byte arrived: the request's whole time. */
  total_ms: number;
}

export interface HttpResponse {
  status: number;
  body: string;
  truncated: boolean;
  location?: string;
  certValidTo?: Date;
  timings: Timings;
}

export interface RequestSpec {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  verifyTls: boolean;
}

let https: Promise<typeof import('node:https')> | undefined;
let warmed: Promise<void> | undefined;

/**
 * One request and response through node's HTTP client to a throwaway server of our own on loopback, once per process,
 * before any clock starts: the first request of a process otherwise pays node's lazy set-up (TCP connect, request
 * writer, llhttp parser, response object) inside the time it reports — a few ms, more than a local peer takes
 * (docs/checks-timing.md). Nothing is sent to the peer being checked.
 */
function warmUp(): Promise<void> {
  return (warmed ??= new Promise<void>((resolve) => {
    const server = createServer((socket) => {
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'),
      );
      socket.on('error', () => {});
    });
    // Whatever happens, the warm-up never holds a check up: an error or a closed request ends it too.
    const done = () => {
      server.close();
      resolve();
    };
    server.once('error', done);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const request = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
        response.resume();
        response.once('end', done);
        response.once('error', done);
      });
      request.once('error', done);
      request.once('close', done);
      request.end();
    });
  }));
}

/**
 * Everything a request to `url` needs loaded: node:https (and TLS with it) costs ~6 ms, so only https URLs load it,
 * and before the clock starts.
 */
export async function prepareRequest(
  url: URL,
): Promise<
  (options: RequestOptions, onResponse: (response: IncomingMessage) => void) => ReturnType<typeof httpRequest>
> {
  await warmUp();
  if (url.protocol !== 'https:') return (options, onResponse) => httpRequest(url, options, onResponse);
  const { request } = await (https ??= import('node:https'));
  return (options, onResponse) => request(url, options, onResponse);
}

export class HeadersTooLarge extends Error {
  constructor() {
    super(say.check.http.headersTooLarge(HEADER_CAP / 1024));
  }
}

/** Send one request; the body is read up to BODY_CAP. Rejects on network errors and when `signal` aborts. */
export function sendRequest(
  start: Awaited<ReturnType<typeof prepareRequest>>,
  spec: RequestSpec,
  signal: AbortSignal,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const since = (t: number | undefined) => (t === undefined ? undefined : t - started);
    let lookupAt: number | undefined;
    let connectAt: number | undefined;
    let tlsAt: number | undefined;
    let firstByteAt: number | undefined;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal.reason ?? new Error('aborted'));

    let started = performance.now();
    const request = start(
      {
        method: spec.method,
        headers: { 'user-agent': 'neuronova-health-check', accept: '*/*', ...spec.headers },
        agent: false,
        rejectUnauthorized: spec.verifyTls,
        maxHeaderSize: HEADER_CAP,
      },
      (response: IncomingMessage) => {
        let certValidTo: Date | undefined;
        const socket = response.socket as TLSSocket;
        if (typeof socket.getPeerCertificate === 'function') {
          const cert = socket.getPeerCertificate();
          if (cert?.valid_to) certValidTo = new Date(cert.valid_to);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          const endAt = performance.now();
          signal.removeEventListener('abort', onAbort);
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, BODY_CAP).toString('utf8'),
            truncated,
            ...(response.headers.location ? { location: response.headers.location } : {}),
            ...(certValidTo ? { certValidTo } : {}),
            timings: {
              ...(lookupAt !== undefined ? { dns_ms: since(lookupAt) } : {}),
              connect_ms: since(connectAt) ?? 0,
              ...(tlsAt !== undefined ? { tls_ms: since(tlsAt) } : {}),
              first_byte_ms: since(firstByteAt) ?? endAt - started,
              total_ms: endAt - started,
            },
          });
        };
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= BODY_CAP) {
            truncated = true;
            finish();
            response.destroy();
          }
        });
        response.on('end', finish);
        response.on('error', fail);
        // Destroyed before its end (the peer hung up mid-body, or we stopped it): not a whole response.
        response.on('close', () => fail(new Error(say.check.http.endedEarly)));
      },
    );
    request.on('socket', (socket: Socket) => {
      socket.once('lookup', () => (lookupAt = performance.now()));
      socket.once('connect', () => (connectAt = performance.now()));
      socket.once('secureConnect', () => (tlsAt = performance.now()));
      // Before node's parser sees the bytes, so the stamp is not late by our own response handling.
      socket.prependOnceListener('data', () => (firstByteAt = performance.now()));
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'HPE_HEADER_OVERFLOW' ? new HeadersTooLarge() : error),
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    request.end(spec.body);
    // The clock starts now: building the request is our work, and node connects (or looks the name up) only once
    // this tick's code is done, so nothing of the peer's time happened before this line.
    started = performance.now();
  });
}
