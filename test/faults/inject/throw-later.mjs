// Preloaded into the binary (NODE_OPTIONS=--import) by test/faults/crash.test.ts: once the run is under way (a socket
// has connected to FAULT_PORT), a timer nobody owns — started here, outside any check — throws (FAULT_KIND=throw) or
// rejects a promise nobody awaits (FAULT_KIND=reject): the program's own error, not a check's.
import net from 'node:net';

const port = Number(process.env.FAULT_PORT);
let connected = false;
const emit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, ...args) {
  if (event === 'connect' && this.remotePort === port) connected = true;
  return emit.call(this, event, ...args);
};
const poll = setInterval(() => {
  if (!connected) return;
  clearInterval(poll);
  const error = new Error('a library callback failed');
  if (process.env.FAULT_KIND === 'reject') Promise.reject(error);
  else throw error;
}, 20);
poll.unref();
