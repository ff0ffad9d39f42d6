// The `postgres` check against hostile servers (real processes, test/faults/peers/postgres.mjs): each attack ends in a
// level with one line, within the check's timeout, and the main thread keeps turning while it lasts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startPeer } from '../faults/peers/start-peer.js';
import { assertAttack, HOSTILE_TIMEOUT_MS, runHostile } from '../helpers/hostile-run.js';
import { warmProbeWorker } from '../helpers/probe-warmup.js';

const ATTACKS: [attack: string, message: RegExp][] = [
  ['gss', /^postgres: the server asks for GSS \(Kerberos\) authentication, which this check cannot do/],
  ['sspi', /^postgres: the server asks for SSPI authentication/],
  ['sasl-unknown', /^postgres: the server asks for a SASL mechanism this check cannot use/],
  ['short-R', /^postgres: peer sent a malformed message \(.+\)$/],
  // pg-protocol loops for ever on this one: the worker's busy thread gives it away before the timeout.
  ['malformed-E', /^postgres: peer sent a malformed message \(the postgres client stopped responding/],
  ['malformed-N', /^postgres: peer sent a malformed message \(the postgres client stopped responding/],
  ['short-K', /^postgres: peer sent a malformed message \(.+\)$/],
  ['flood', /^postgres: peer sent more than 1 MiB without a complete answer/],
  ['silent', /^no answer within 6s \(timeout\)$/],
  ['drip', /^no answer within 6s \(timeout\)$/],
];

const check = (name: string, port: number) =>
  `  - { name: ${name}, type: postgres, url: "postgres://app:Pw-1@127.0.0.1:${port}/app", timeout: ${HOSTILE_TIMEOUT_MS}ms }\n`;

describe('postgres check against hostile servers', () => {
  before(async () => {
    await warmProbeWorker();
  });

  for (const [attack, message] of ATTACKS) {
    test(`${attack}: CRITICAL with one line, within the timeout, the main thread never stalls`, async () => {
      await assertAttack('postgres', attack, (port) => check('db', port), message);
    });
  }

  describe('next to a healthy check', () => {
    let listener: Server;
    let port: number;
    before(async () => {
      listener = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      port = (listener.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    test('a spinning postgres client does not take the tcp check started with it down', async () => {
      const peer = await startPeer('postgres', 'malformed-E');
      try {
        const run = await runHostile(
          check('db', peer.port) + `  - { name: ssh, type: tcp, host: 127.0.0.1, port: ${port} }\n`,
        );
        assert.deepEqual(
          run.results.map((r) => r.level),
          ['CRITICAL', 'OK'],
        );
        assert.equal(run.results[1]!.message, `connected to 127.0.0.1:${port}`);
      } finally {
        await peer.close();
      }
    });
  });
});
