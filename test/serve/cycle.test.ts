// serve's cycle: the run's engine and masking, a check's memory kept in the process from one cycle to the next, and
// nothing written anywhere (no lock, log, state or history: cron's run owns those). systemctl is the fake one
// (test/helpers/fake-systemctl.ts): systemd is not PID 1 on the test machines.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { cycler } from '../../src/serve/cycle.js';
import { startScheduler } from '../../src/serve/scheduler.js';
import { makeFakeSystemctl, type FakeSystemctl } from '../helpers/fake-systemctl.js';

let fake: FakeSystemctl;
let dir: string;
const savedEnv = { ...process.env };

before(() => {
  fake = makeFakeSystemctl();
  dir = mkdtempSync(join(tmpdir(), 'nn-serve-cycle-'));
});
after(() => {
  fake.remove();
  rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

const config = () =>
  parseConfigText(
    `state_dir: ${dir}/state\nlog_file: ${dir}/log/health.log\noutputs: { status_dir: ${dir}/status, prometheus: ${dir}/m.prom }\n` +
      `checks:\n  - { name: nginx, type: systemd, unit: nginx }\n  - { name: db, type: tcp, host: 127.0.0.1, port: 1 }\n` +
      `  - { name: secret, type: http, url: "http://u:pa55word-xyz@127.0.0.1:1/" }\n`,
    'test.yml',
    {},
  );

test('a restart between two cycles is seen (memory kept in the process); nothing is written to disk', async () => {
  const run = cycler(config(), 'web-1');
  Object.assign(process.env, fake.env({ nginx: 'active' }));
  const first = await run.run();
  assert.equal(first.results[0]!.level, 'OK');
  Object.assign(process.env, fake.env({ nginx: 'active-restarted' }));
  const second = await run.run();
  assert.equal(second.results[0]!.level, 'WARNING', second.results[0]!.message);
  assert.match(second.results[0]!.message, /restart/i);
  const third = await run.run();
  assert.equal(third.results[0]!.level, 'OK', 'no restart since the previous cycle');

  assert.equal(second.report.host, 'web-1');
  assert.equal(second.report.services.db!.status, 'unhealthy');
  assert.ok(!JSON.stringify(second).includes('pa55word-xyz'), 'results and report are masked');
  assert.deepEqual(readdirSync(dir), [], 'no lock, state, log, history or output written');
});

test('the scheduler never starts a cycle while one runs, and stops the running one when told', async () => {
  let running = 0;
  let most = 0;
  let started = 0;
  const slow = {
    async run(stop?: AbortSignal) {
      started++;
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 300);
        stop?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      running--;
      return { results: [], report: {} as never, startedAt: Date.now(), finishedAt: Date.now() };
    },
  };
  // An interval shorter than a cycle: cycles run back to back, never two at once.
  const scheduler = startScheduler(slow, 10, (error) => assert.fail(String(error)));
  assert.ok(await scheduler.first());
  await new Promise((resolve) => setTimeout(resolve, 700));
  await scheduler.stop();
  const cycles = scheduler.cycles();
  assert.equal(most, 1);
  assert.ok(cycles >= 2, `${cycles} cycles`);
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(started, cycles, 'no cycle after stop');
  assert.equal(running, 0);
});
