// Test helper: a real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, clustering off,
// with a throwaway config and storage directory; `alerts()` reads what it holds through its own v2 API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binaries.js';

export const alertmanagerBinary = findBinary('prometheus-alertmanager') ?? findBinary('alertmanager');

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

export interface RunningAlertmanager {
  url: string;
  /** Active (not yet resolved) alerts, as GET /api/v2/alerts returns them. */
  alerts(): Promise<AmAlert[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startAlertmanager(): Promise<RunningAlertmanager> {
  if (!alertmanagerBinary)
    throw new Error('prometheus-alertmanager is not installed (Debian package: prometheus-alertmanager)');
  const dir = mkdtempSync(join(tmpdir(), 'nn-am-'));
  const config = join(dir, 'alertmanager.yml');
  // One receiver that sends nowhere: the test reads the alerts back through the API instead.
  writeFileSync(config, 'route:\n  receiver: blackhole\n  group_wait: 0s\nreceivers:\n  - name: blackhole\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    alertmanagerBinary,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 100) {
    try {
      const ready = await fetch(`${url}/-/ready`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || waited > 15_000) {
      await stop();
      throw new Error(`alertmanager did not start on ${url}: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    alerts: async () =>
      (await (
        await fetch(`${url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)
      ).json()) as AmAlert[],
    stop,
  };
}
