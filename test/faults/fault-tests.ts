// One node:test case per scenario of a group: every promise of docs/reliability.md kept, reported all at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from './harness.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

export function faultTests(group: Scenario['group']): void {
  for (const scenario of SCENARIOS.filter((s) => s.group === group)) {
    const why = scenario.unavailable?.();
    test(`${scenario.attack}: ${scenario.expected} by the deadline, no trace, bounded memory`, { skip: why ?? false }, async () => {
      const outcome = await runScenario(scenario);
      assert.deepEqual(outcome.problems, [], `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}\nlog:\n${outcome.log}`);
    });
  }
}
