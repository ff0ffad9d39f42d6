// esbuild options for the probe worker (src/probes/worker.ts → probe-worker.js), shared by scripts/build.mjs (dist/)
// and by src/probes/worker-entry.ts when the tests run the sources through tsx (a bundled worker starts in ~0.1 s;
// the same code through tsx's loader in a worker takes 1–2 s on a busy machine, more than a 1 s check timeout).
//
// pg and redis are bundled (minified, one chunk each, loaded only by the worker that needs it): that loads 2–4×
// faster than node_modules' many files (redis: ~60 ms instead of ~200 ms on the bench machine). `externalClients`
// keeps them external, to measure that again (`node scripts/build.mjs --external-clients`).

/** Bundled CommonJS dependencies may call require(); give them one. */
export const REQUIRE_BANNER = {
  js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);",
};

/**
 * @param {{ root: string, outdir: string, minify?: boolean, externalClients?: boolean, metafile?: boolean }} options
 * @returns {import('esbuild').BuildOptions}
 */
export function probeWorkerOptions({ root, outdir, minify = true, externalClients = false, metafile = false }) {
  return {
    absWorkingDir: root,
    entryPoints: [{ in: 'src/probes/worker.ts', out: 'probe-worker' }],
    outdir,
    bundle: true,
    splitting: true,
    // Named apart from the main bundle's chunks, which share dist/.
    chunkNames: 'probe-[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // What pg and node-redis name but never use on Node (native bindings, Cloudflare sockets).
    external: ['pg-native', 'pg-cloudflare', 'cloudflare:sockets', ...(externalClients ? ['pg', 'redis'] : [])],
    minifyWhitespace: minify,
    minifySyntax: minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile,
    banner: REQUIRE_BANNER,
  };
}
