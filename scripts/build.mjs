// Builds dist/ with esbuild: one ESM bundle for the hot path, heavy packages kept external and loaded lazily.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// Packages only some runs need (alerts, datastores, history, status page) stay outside the bundle:
// they are imported with `await import()` where used, so a healthy run never parses them.
const external = [
  'pino', 'pino-roll', 'pg', 'pg-native', 'redis', 'nodemailer', 'systeminformation',
  'undici', 'execa', 'playwright-core', 'smtp-server',
];

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies may call require(); give them one.
  banner: { js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);" },
});
