// How a run's deadline is shared (src/run-budget.ts): the alerts' reserve, what start-up costs the checks, and a step
// that overstays its share being abandoned and told to stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertReserveMs, OutOfTime, runBudget, withinTime } from '../src/run-budget.js';

test('the alerts keep a quarter of the deadline, at least 250 ms and at most 10 s', () => {
  assert.equal(alertReserveMs(4000), 1000);
  assert.equal(alertReserveMs(60_000), 10_000);
  assert.equal(alertReserveMs(3_600_000), 10_000);
  assert.equal(alertReserveMs(500), 250);
});

test('start-up counts against the deadline when it runs from the process start', () => {
  const budget = runBudget(4000, 150, 0);
  assert.equal(budget.spentMs, 150);
  assert.equal(budget.checksMs, 4000 - 1000 - 150);
  assert.equal(runBudget(4000, 150).spentMs, 0, 'by default the deadline counts from the run start');
});

test('a step with no time left is not run at all', async () => {
  let ran = false;
  await assert.rejects(
    withinTime(0, async () => {
      ran = true;
    }),
    (error: unknown) => error instanceof OutOfTime && /not run: no time left/.test(error.message),
  );
  assert.equal(ran, false);
});

test('a step that never ends is abandoned when its share is used up, and its signal tells it to stop', async () => {
  let signal: AbortSignal | undefined;
  await assert.rejects(
    withinTime(20, (s) => {
      signal = s;
      return new Promise(() => {});
    }),
    (error: unknown) => error instanceof OutOfTime && /stopped: its share of the run's deadline/.test(error.message),
  );
  assert.equal(signal?.aborted, true);
});

test('a step that finishes in time gives its value', async () => {
  assert.equal(await withinTime(10_000, async () => 42), 42);
});
