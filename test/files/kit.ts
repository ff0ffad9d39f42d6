// Shared parts of the file-safety and crash tests: a counting SMTP server whose handlers can kill the client run, a
// config whose one check fails (so the run has an incident to page about), and a second account that plants files.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CountingSmtp {
  port: number;
  /** Subjects of the messages whose whole body the server received, in order. */
  subjects: string[];
  /** Called as a client connects / once a message's body has arrived; return true to leave the reply to the hook. */
  onConnect?: () => void;
  onBody?: (reply: () => void) => boolean;
  close(): Promise<void>;
}

export async function countingSmtp(): Promise<CountingSmtp> {
  const handle: CountingSmtp = { port: 0, subjects: [], close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, callback) {
      handle.onConnect?.();
      callback();
    },
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        handle.subjects.push(/^Subject: (.*)$/m.exec(raw)?.[1] ?? '');
        if (!handle.onBody?.(() => callback())) callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  handle.port = (server.server.address() as AddressInfo).port;
  handle.close = () => new Promise((resolve) => server.close(() => resolve()));
  return handle;
}

/** A config with one failing check that pages by email at once; `extra` is appended (outputs, more checks). */
export function incidentConfig(dir: string, smtpPort: number, extra = '', name = 'config.yml'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'timeout: 5s',
      'deadline: 20s',
      'checks:',
      '  - { name: broken, type: command, command: [/bin/sh, -c, "echo on fire; exit 2"] }',
      extra,
      'alerts:',
      `  email: { to: [ops@example.com], from: "health@web-1.example.com", smtp: "smtp://127.0.0.1:${smtpPort}" }`,
      '',
    ].join('\n'),
  );
  return path;
}

export const NOBODY = 65534;

/** Run a command as the unprivileged account `nobody` (a local attacker), failing the test if it fails. */
export function asNobody(...argv: string[]): void {
  const result = spawnSync('runuser', ['-u', 'nobody', '--', ...argv], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`runuser -u nobody -- ${argv.join(' ')}: ${result.stderr}`);
}

export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  // generous: twenty agents share two cores here, and a node start can take seconds under that load
  for (let i = 0; i < 2400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
