// Preloaded into the binary (NODE_OPTIONS=--import) by test/faults/crash.test.ts: FAULT_DELAY_MS after start, a timer
// nobody owns throws (FAULT_KIND=throw) or a promise nobody awaits rejects (FAULT_KIND=reject): the program's own error.
setTimeout(() => {
  const error = new Error('a library callback failed');
  if (process.env.FAULT_KIND === 'reject') Promise.reject(error);
  else throw error;
}, Number(process.env.FAULT_DELAY_MS));
