// Test helper: builds the probe worker once (src/probes/worker-entry.ts does so under tsx) and starts one, so the short
// timeouts of the tests that follow are spent on the network, not on a first build on a busy machine.
import { runProbe } from '../../src/probes/host.js';
import { freePort } from './silent-listener.js';

export async function warmProbeWorker(): Promise<void> {
  const port = await freePort();
  await runProbe(
    {
      kind: 'postgres',
      connectionString: `postgres://warm@127.0.0.1:${port}/warm`,
      sslmode: 'disable',
      attempts: [false],
    },
    { signal: new AbortController().signal, label: 'postgres' },
  );
}
