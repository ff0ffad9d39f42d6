// Test helper: loopback ports that misbehave on purpose — a listener that accepts and never answers, a port nobody holds.
import { createServer, type Socket } from 'node:net';

export interface SilentListener {
  port: number;
  /** Connections accepted since the start. */
  accepted(): number;
  /** Connections accepted so far and still open (a check must close its own when stopped). */
  openConnections(): number;
  close(): Promise<void>;
}

/** Accepts TCP connections on 127.0.0.1 and never writes a byte: a hung server, as seen by a client. */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read and drop what the client sends: a paused socket would never notice the client hanging up.
    socket.resume();
    // The client hung up: close our side too, so openConnections() counts only what the client still holds.
    socket.on('end', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    accepted: () => accepted,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago and is closed now: connecting to it is refused. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
