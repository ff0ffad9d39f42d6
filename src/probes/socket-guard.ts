// Inside a probe worker: counts what a peer delivers on a socket, stops it past the byte cap, and notes when bytes moved.
import type { Socket } from 'node:net';
import { TOO_MUCH } from './protocol.js';

/** What a peer may send one check, in total: a healthy answer is a few hundred bytes, an error a few KiB. */
export const PEER_BYTE_CAP = 1024 * 1024;

/** One probe's view of its sockets, in performance.now() of the worker. */
export class SocketWatch {
  /** Set when the first connect is issued: the check's clock starts here (docs/checks-timing.md). */
  startedAt: number | undefined;
  /** The last TCP handshake that completed. */
  connectedAt: number | undefined;
  /** The last moment bytes arrived from the peer: the reply's arrival, not when our code got round to it. */
  lastDataAt: number | undefined;
  bytes = 0;

  constructor(private readonly cap = PEER_BYTE_CAP) {}

  /** Starts the clock now, unless an earlier attempt already did. */
  start(): void {
    this.startedAt ??= performance.now();
  }

  /** ms since the clock started, or undefined when it never did. */
  since(moment: number | undefined): number | undefined {
    return this.startedAt === undefined || moment === undefined ? undefined : moment - this.startedAt;
  }

  /**
   * Watches `socket`: its connect and every chunk it delivers. Listeners run before the client library's own, so a
   * flood is cut before the library buffers it; the library then sees the socket close with an error.
   */
  guard(socket: Socket): void {
    socket.prependListener('connect', () => {
      this.connectedAt = performance.now();
    });
    socket.prependListener('data', (chunk: Buffer | string) => {
      this.lastDataAt = performance.now();
      this.bytes += chunk.length;
      if (this.bytes > this.cap) {
        const error = Object.assign(new Error(`the peer sent more than ${this.cap / 1024 / 1024} MiB`), {
          code: TOO_MUCH,
        });
        socket.destroy(error);
      }
    });
  }
}
