// Where the probe worker's code is and how to start it: dist/probe-worker.js next to the built chunks; when the
// sources run through tsx (the tests), the same bundle built once per process into a temp dir by esbuild.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let sourceBuild: Promise<URL> | undefined;

/**
 * Under tsx only: esbuild (a devDependency) bundles src/probes/worker.ts as scripts/build.mjs does. Through tsx's
 * loader instead, a worker takes 1–2 s to load redis on a busy machine (scripts/probe-worker-build.mjs).
 */
function buildFromSources(here: string): Promise<URL> {
  sourceBuild ??= (async () => {
    const root = new URL('../../', here);
    const [{ build }, { probeWorkerOptions }] = await Promise.all([
      import('esbuild'),
      import(new URL('scripts/probe-worker-build.mjs', root).href) as Promise<{
        probeWorkerOptions: (o: object) => object;
      }>,
    ]);
    const outdir = mkdtempSync(join(tmpdir(), 'nn-probe-worker-'));
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    await build(probeWorkerOptions({ root: new URL(root).pathname, outdir }));
    return pathToFileURL(join(outdir, 'probe-worker.js'));
  })();
  return sourceBuild;
}

export async function startProbeWorker(options: WorkerOptions): Promise<Worker> {
  const here = import.meta.url;
  const entry = here.endsWith('.ts') ? await buildFromSources(here) : new URL('./probe-worker.js', here);
  // Whatever a client library prints stays in the worker: cron mails stdout and stderr.
  const worker = new Worker(entry, { ...options, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}
