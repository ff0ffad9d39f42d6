// Preloaded into the binary (NODE_OPTIONS=--import) by test/faults/watchdog.test.ts: a client library that spins in
// a synchronous loop, as pg's parser did on a malformed ErrorResponse. The first socket that connects to FAULT_PORT
// never returns from its 'connect' event: no timer, signal or deadline of the main thread can run again.
import net from 'node:net';

const port = Number(process.env.FAULT_PORT);
const emit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, ...args) {
  if (event === 'connect' && this.remotePort === port) for (;;);
  return emit.call(this, event, ...args);
};
