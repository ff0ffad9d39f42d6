// The `tcp` check against real loopback ports: a listener, a closed port, a bad host name, and the per-check timeout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runYaml } from '../helpers/check-run.js';
import { freePort } from '../helpers/silent-listener.js';

describe('tcp check', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a port that accepts is OK with the connect time', async () => {
    const run = await runYaml(`  - { name: ssh, type: tcp, host: 127.0.0.1, port: ${port} }\n`);
    const entry = run.report.services.ssh!;
    assert.equal(entry.level, 'OK');
    assert.equal(entry.status, 'healthy');
    assert.equal(entry.message, `connected to 127.0.0.1:${port}`);
    assert.equal(typeof entry.response_time_ms, 'number');
    assert.equal(entry.port, port);
    assert.match(run.log, new RegExp(`SUCCESS: ssh: connected to 127\\.0\\.0\\.1:${port} \\([\\d.]+ ms\\)$`, 'm'));
  });

  test('a closed port is CRITICAL: connection refused', async () => {
    const closed = await freePort();
    const run = await runYaml(`  - { name: db, type: tcp, host: 127.0.0.1, port: ${closed} }\n`);
    assert.equal(run.report.services.db!.level, 'CRITICAL');
    assert.equal(run.report.services.db!.message, `cannot connect to 127.0.0.1:${closed}: connection refused`);
    assert.match(run.log, /ERROR: db: cannot connect to 127\.0\.0\.1:\d+: connection refused$/m);
  });

  test('a host name that does not resolve is CRITICAL', async () => {
    const run = await runYaml('  - { name: gone, type: tcp, host: no-such-host.invalid, port: 80, timeout: 3s }\n');
    assert.equal(run.report.services.gone!.level, 'CRITICAL');
    assert.match(run.report.services.gone!.message, /^cannot connect to no-such-host\.invalid:80: /);
  });

  test('a port number out of range or given as text is a config problem', async () => {
    await assert.rejects(
      runYaml('  - { name: a, type: tcp, host: h, port: 70000 }\n  - { name: b, type: tcp, host: h, port: "80" }\n'),
      (error: Error & { problems?: string[] }) => {
        assert.deepEqual(error.problems, [
          'checks[0].port: must be at most 65535',
          'checks[1].port: must be a number, not the text "80"',
        ]);
        return true;
      },
    );
  });
});
