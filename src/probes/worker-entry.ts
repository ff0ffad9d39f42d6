// Where the probe worker's code is and how to start it: dist/probe-worker.js next to the built chunks, or
// src/probes/worker.ts under tsx (the tests), whose loader a worker does not inherit on Node 20.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startProbeWorker(options: WorkerOptions): Worker {
  const here = import.meta.url;
  // Whatever a client library prints stays in the worker: cron mails stdout and stderr.
  const quiet: WorkerOptions = { ...options, stdout: true, stderr: true };
  let worker: Worker;
  if (!here.endsWith('.ts')) {
    worker = new Worker(new URL('./probe-worker.js', here), quiet);
  } else {
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL('./worker.ts', here).href);
    worker = new Worker(`import(${tsx}).then((m) => m.register()).then(() => import(${entry}))`, { ...quiet, eval: true });
  }
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}
