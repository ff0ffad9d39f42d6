// Builds dist/ with esbuild: one ESM bundle for the hot path, heavy packages kept external and loaded lazily.
//
//   node scripts/build.mjs [--outdir DIR] [--metafile FILE]
//   (and, to measure what each choice below is worth — `npm run bench -- --only ablation` — one of: --no-minify,
//    --no-lazy-zod, --keep-zod-locales, --no-config-cache, --no-watchdog)
//
// What a healthy cron run parses is most of its cost (docs/performance.md, figures from `npm run bench`), so:
// - packages only some runs need stay external and are imported with `await import()` where used;
// - `from 'zod'` in src/ resolves to src/config/zod-lazy.ts, which loads zod on first use: a run from the cached
//   config (src/config/cache.ts) never loads it, and everything else shares one zod instance;
// - zod's 64 translations of its error messages (~360 KB, reachable only through `z.locales`) are left out: the
//   config errors are ours, in English, and zod's English messages are imported by zod itself, not via that index;
// - whitespace and syntax are minified, names are not: zod's chunk shrinks from ~390 to ~300 KB for the runs that
//   validate, and a stack trace (NEURONOVA_DEBUG=1) still names our functions; on a run from the cached config the
//   difference is within the bench's noise (bench/RESULTS.md, "What each start-up choice is worth");
// - the postgres/redis/tcp probes run in a worker thread (src/probes/, docs/checks-timing.md) with an entry of its own,
//   dist/probe-worker.js, built separately with pg and redis bundled into it (scripts/probe-worker-build.mjs says
//   why); `--external-clients` keeps them external, to measure that again;
// - NEURONOVA_BUILD_ID (a hash of the sources, the lock file and this script) keys the validated-config cache, so a
//   new build never trusts a config validated by an older one.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeWorkerOptions, REQUIRE_BANNER } from './probe-worker-build.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const outdir = resolve(ROOT, option('--outdir') ?? 'dist');
const metafilePath = option('--metafile');
const minify = !args.includes('--no-minify');
const lazyZodOn = !args.includes('--no-lazy-zod');
const dropLocales = !args.includes('--keep-zod-locales');
// Without a build id the run validates its config every time (src/config/cache.ts), as before the cache.
const configCache = !args.includes('--no-config-cache');
const externalClients = args.includes('--external-clients');
// Only to measure what the run's watchdog thread costs (docs/reliability.md); a real build always has it.
const watchdog = !args.includes('--no-watchdog');

// Packages only some runs need (alerts, datastores, history, status page) stay outside the bundle:
// they are imported with `await import()` where used, so a healthy run never parses them.
const external = [
  'pino',
  'pino-roll',
  'pg',
  'pg-native',
  'redis',
  'nodemailer',
  'systeminformation',
  'undici',
  'playwright-core',
  'smtp-server',
  // Only src/probes/worker-entry.ts names it, to build the probe worker when the sources run through tsx (tests).
  'esbuild',
];
// execa is bundled instead (docs/programs.md): the default cycle (systemd checks) loads it, and one file parses in
// ~20 ms where resolving its ~30 files from node_modules costs ~85 ms. It is built on its own, minified whole
// (identifiers too: a stack trace through execa is not ours to read), ~110 KB instead of ~185 KB, into
// dist/vendor/execa.js; the program's `import('execa')` points there.

const ZOD_LAZY = join(ROOT, 'src', 'config', 'zod-lazy.ts');

/** `import { z } from 'zod'` anywhere in src/ (but the lazy module itself) means the lazy zod. */
const lazyZod = {
  name: 'lazy-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (a) =>
      a.importer === ZOD_LAZY || !a.importer.startsWith(join(ROOT, 'src')) ? undefined : { path: ZOD_LAZY },
    );
  },
};

/** `import('execa')` in src/ loads the separately built dist/vendor/execa.js (chunks sit at the top of dist/). */
const vendorExeca = {
  name: 'vendor-execa',
  setup(b) {
    b.onResolve({ filter: /^execa$/ }, () => ({ path: './vendor/execa.js', external: true }));
  },
};

/** zod's locales index (every translation) becomes an empty module. */
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

function buildId() {
  const hash = createHash('sha256');
  const files = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  for (const file of [
    ...files(join(ROOT, 'src')),
    join(ROOT, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ].sort()) {
    hash.update(relative(ROOT, file)).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      // a file removed while we listed: the hash differs anyway
    }
  }
  return hash.digest('hex').slice(0, 16);
}

// Build next to the target and swap it in at the end, so a test running the binary meanwhile sees a whole dist/.
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
try {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['execa'],
    outfile: join(staging, 'vendor', 'execa.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);",
    },
  });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli.ts'],
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    minifyWhitespace: minify,
    minifySyntax: minify,
    sourcemap: false,
    legalComments: 'none',
    // Korean text as UTF-8, not \uXXXX escapes: the ko catalogue chunk is half the size to read and parse.
    charset: 'utf8',
    logLevel: 'warning',
    metafile: Boolean(metafilePath),
    plugins: [vendorExeca, ...(lazyZodOn ? [lazyZod] : []), ...(dropLocales ? [noZodLocales] : [])],
    define: {
      ...(configCache ? { NEURONOVA_BUILD_ID: JSON.stringify(buildId()) } : {}),
      ...(watchdog ? {} : { NEURONOVA_NO_WATCHDOG: 'true' }),
    },
    banner: REQUIRE_BANNER,
  });
  // The probe worker (src/probes/worker.ts → probe-worker.js): its own build, so pg and redis can be bundled into
  // it while the main bundle keeps them external; its chunks are named apart from the main bundle's.
  const workerResult = await build(
    probeWorkerOptions({ root: ROOT, outdir: staging, minify, externalClients, metafile: Boolean(metafilePath) }),
  );
  if (metafilePath) {
    const meta = result.metafile;
    Object.assign(meta.inputs, workerResult.metafile.inputs);
    Object.assign(meta.outputs, workerResult.metafile.outputs);
    writeFileSync(resolve(ROOT, metafilePath), JSON.stringify(meta));
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  throw error;
}
