// Preloaded into the binary (NODE_OPTIONS=--import) by test/faults/crash.test.ts: a client library whose socket
// callback throws, as pg's parser did on a GSS request. The first socket that connects to FAULT_PORT throws from its
// 'connect' event, outside any promise: Node sees an uncaught exception.
import net from 'node:net';

const port = Number(process.env.FAULT_PORT);
const emit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, ...args) {
  if (event === 'connect' && this.remotePort === port)
    throw new Error('parser exploded on a message it did not expect');
  return emit.call(this, event, ...args);
};
