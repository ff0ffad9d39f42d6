// Starts one hostile peer (test/faults/peers/*.mjs) as its own process and reads the port it listens on.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Peer {
  port: number;
  /** Stops the peer process and waits until it has exited. */
  close(): Promise<void>;
}

/**
 * `script` is `postgres.mjs`, `redis.mjs` (or `postgres`, `redis`, or a path); `attack` is one of the script's
 * attacks (see the comment at its top). Rejects if the peer exits or prints no port within 10 s.
 */
export async function startPeer(script: string, attack: string): Promise<Peer> {
  const name = script.endsWith('.mjs') ? script : `${script}.mjs`;
  const path = isAbsolute(name) ? name : join(HERE, name);
  const child = spawn(process.execPath, [path, attack], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`peer ${name} ${attack} printed no port within 10 s: ${stderr}`)),
        10_000,
      );
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        const port = (JSON.parse(line) as { port?: unknown }).port;
        if (typeof port === 'number') resolve(port);
        else reject(new Error(`peer ${name} ${attack} printed ${line}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`peer ${name} ${attack} exited (${code}) before printing its port: ${stderr}`));
      });
    });
    return { port, close };
  } catch (error) {
    await close();
    throw error;
  }
}
