// Alert state read from state.json of any age or shape: wrong types fall back to safe defaults, other sections are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCheckAlert, readCheckAlerts, readSilences, withAlerting } from '../../src/alerts/state.js';

test('a missing or mangled per-check state reads as "never alerted"', () => {
  assert.deepEqual(readCheckAlert(undefined), {
    failures: 0,
    goods: 0,
    announced: false,
    recent: '',
    edges: '',
    flapping: false,
    flap_told: false,
    muted: false,
  });
  const odd = readCheckAlert({
    failures: -3,
    goods: 'two',
    announced: 'yes',
    level: 'BROKEN',
    failing_since: 'yesterday',
    recent: 'FFx?o',
    muted: true,
  });
  assert.equal(odd.failures, 0);
  assert.equal(odd.goods, 0);
  assert.equal(odd.announced, false);
  assert.equal(odd.level, undefined);
  assert.equal(odd.failing_since, undefined);
  assert.equal(odd.recent, 'FFo');
  assert.equal(odd.muted, 'silence');
});

test('alerting writes only its own parts: check memory, unknown sections and fields are kept', () => {
  const state = {
    version: 1,
    checks: { nginx: { memory: { restarts: 2 }, alert: { failures: 1 } }, gone: { alert: { failures: 9 } } },
    history_cursor: 7,
  };
  assert.deepEqual(Object.keys(readCheckAlerts(state)), ['nginx', 'gone']);
  const next = withAlerting(state, { nginx: readCheckAlert({ failures: 2 }) }, { drop: ['gone'], outbox: {} });
  assert.deepEqual(next.checks.nginx!.memory, { restarts: 2 });
  assert.equal((next.checks.nginx!.alert as { failures: number }).failures, 2);
  assert.deepEqual(next.checks.gone, {});
  assert.equal(next.history_cursor, 7);
  assert.equal('outbox' in next, false);
});

test('silences without an end are ignored', () => {
  const silences = readSilences({
    version: 1,
    checks: {},
    silences: [{ id: 1, until: 'soon' }, { id: 2, until: '2030-01-01T00:00:00Z', checks: ['a', 3] }, null],
  });
  assert.deepEqual(silences, [
    { id: 2, checks: ['a'], until: '2030-01-01T00:00:00Z', created: '1970-01-01T00:00:00.000Z' },
  ]);
});
