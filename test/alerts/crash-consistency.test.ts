// A run with an incident killed with SIGKILL at each step of delivery, then a normal run: the pages are counted at a
// real SMTP server. Exactly one DOWN each time — none lost, none doubled (docs/files.md, "Handed over = remembered").
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { countingSmtp, incidentConfig, type CountingSmtp } from '../files/kit.js';

async function setup(
  t: TestContext,
): Promise<{ dir: string; smtp: CountingSmtp; pid: () => number; run: (config: string) => ReturnType<typeof runCli> }> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nn-crash-'));
  const smtp = await countingSmtp();
  t.after(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let pid = 0;
  return { dir, smtp, pid: () => pid, run: (config) => runCli(['--config', config], { started: (p) => (pid = p) }) };
}

const downs = (smtp: CountingSmtp) =>
  smtp.subjects.filter((subject) => /DOWN|CRITICAL|broken/i.test(subject) && !/RECOVERED/i.test(subject));

describe('crash consistency: SIGKILL at each delivery step, then a normal run', { timeout: 60_000 }, () => {
  test('killed before the message is sent (while connecting): the next run sends it, once', async (t) => {
    const { dir, smtp, pid, run } = await setup(t);
    const config = incidentConfig(dir, smtp.port);
    smtp.onConnect = () => {
      smtp.onConnect = undefined;
      process.kill(pid(), 'SIGKILL');
    };
    const killed = await run(config);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(smtp.subjects.length, 0, 'nothing reached the server');

    const next = await run(config);
    assert.equal(next.code, 2, next.stderr);
    assert.equal(downs(smtp).length, 1, `one DOWN, got: ${smtp.subjects.join(' | ')}`);
    const again = await run(config);
    assert.equal(again.code, 2, again.stderr);
    assert.equal(smtp.subjects.length, 1, 'and no more on the run after');
  });

  test('killed right after the server got the whole message, before its answer: not sent again, and the log says why', async (t) => {
    const { dir, smtp, pid, run } = await setup(t);
    const config = incidentConfig(dir, smtp.port);
    smtp.onBody = (reply) => {
      smtp.onBody = undefined;
      process.kill(pid(), 'SIGKILL'); // the server has it; the run never hears "250"
      reply();
      return true;
    };
    const killed = await run(config);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(smtp.subjects.length, 1);

    const next = await run(config);
    assert.equal(next.code, 2, next.stderr);
    assert.equal(downs(smtp).length, 1, `one DOWN, got: ${smtp.subjects.join(' | ')}`);
    assert.match(
      readFileSync(join(dir, 'health.log'), 'utf8'),
      /WARNING: Alert not sent again: email \(ops@example\.com\) was handed ".*" at .* by a run that was stopped before the answer came/,
    );
  });

  test('killed right after the server accepted (answered 250): not sent again', async (t) => {
    const { dir, smtp, pid, run } = await setup(t);
    const config = incidentConfig(dir, smtp.port);
    smtp.onBody = (reply) => {
      smtp.onBody = undefined;
      reply();
      process.kill(pid(), 'SIGKILL');
      return true;
    };
    const killed = await run(config);
    assert.equal(killed.signal, 'SIGKILL');

    const next = await run(config);
    assert.equal(next.code, 2, next.stderr);
    assert.equal(downs(smtp).length, 1, `one DOWN, got: ${smtp.subjects.join(' | ')}`);
  });

  test('killed after delivery, before the end-of-run state save (during the heartbeat): not sent again', async (t) => {
    const { dir, smtp, pid, run } = await setup(t);
    let pings = 0;
    const heartbeat = createServer((_req, res) => {
      if (pings++ === 0) process.kill(pid(), 'SIGKILL');
      res.end('OK');
    });
    await new Promise<void>((resolve) => heartbeat.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => {
      heartbeat.closeAllConnections();
      return new Promise<void>((resolve) => heartbeat.close(() => resolve()));
    });
    const config = incidentConfig(
      dir,
      smtp.port,
      `outputs:\n  heartbeat: http://127.0.0.1:${(heartbeat.address() as AddressInfo).port}/ping`,
    );
    const killed = await run(config);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(smtp.subjects.length, 1, 'the page went out before the heartbeat');

    const next = await run(config);
    assert.equal(next.code, 2, next.stderr);
    assert.equal(downs(smtp).length, 1, `one DOWN, got: ${smtp.subjects.join(' | ')}`);
  });
});
