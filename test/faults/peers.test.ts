// Every scenario of test/faults/scenarios.ts — hostile HTTP, PostgreSQL and Redis peers, a heartbeat that never
// answers, a plugin whose child escapes — against a real run of the built binary: each ends on time, with its level,
// no trace, bounded memory. One file, so the runs (timed against a 4 s deadline) do not compete with each other.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runScenario } from './harness.js';
import { SCENARIOS } from './scenarios.js';

for (const group of ['http', 'run', 'postgres', 'redis'] as const) {
  describe(`hostile peers: ${group}`, () => {
    for (const scenario of SCENARIOS.filter((s) => s.group === group)) {
      const why = scenario.unavailable?.();
      test(`${scenario.attack}: ${scenario.expected} by the deadline, no trace, bounded memory`, {
        skip: why ?? false,
      }, async () => {
        const outcome = await runScenario(scenario);
        assert.deepEqual(
          outcome.problems,
          [],
          `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}\nlog:\n${outcome.log}`,
        );
      });
    }
  });
}
