// zod, loaded when a schema is first built instead of when the program starts; in the build, `import { z } from 'zod'` means this.
//
// zod is the biggest thing the program parses (~300 KB bundled; loading it at start made a run ~15 ms slower, see
// docs/performance.md), and a run from the cached config (src/config/cache.ts) builds no schema at all: check types
// build theirs in a `get schema()`. scripts/build.mjs points every `from 'zod'` in src/ at this module, so there is one zod instance
// per process whichever way it arrives; under tsx (tests) modules import zod itself and this module only preloads it.
import { createRequire } from 'node:module';
import type * as Zod from 'zod';

type ZodNamespace = typeof Zod.z;

let real: ZodNamespace | undefined;

/** Load zod before schemas are built (the bundled copy: the quicker way). A no-op once it is loaded. */
export async function loadZod(): Promise<void> {
  real ??= (await import('zod')).z;
}

function zod(): ZodNamespace {
  // Not preloaded (a command that validates its config at import time): load it synchronously, from node_modules.
  real ??= (createRequire(import.meta.url)('zod') as typeof Zod).z;
  return real;
}

// Every property read goes to the real zod, loaded on the first one; zod's functions do not use `this`.
export const z: ZodNamespace = new Proxy({} as ZodNamespace, {
  get: (_target, key) => Reflect.get(zod(), key),
  has: (_target, key) => Reflect.has(zod(), key),
});
