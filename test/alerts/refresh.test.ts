// The per-run snapshot for channels told every run (Alertmanager): what fires honours `after`, `recover_after` and mutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertMessage } from '../../src/alerts/message.js';
import { decide, type PolicyConfig } from '../../src/alerts/policy.js';
import { runSnapshot, supersedeSnapshots } from '../../src/alerts/refresh.js';
import type { CheckAlertState, Silence } from '../../src/alerts/state.js';
import type { Level } from '../../src/levels.js';
import type { CheckResult } from '../../src/types.js';

const T0 = new Date(2025, 11, 7, 1, 0, 0);
const BASE: PolicyConfig = {
  on: 'critical',
  after: 1,
  recover_after: 1,
  repeat: 3_600_000,
  recovery: true,
  maintenance: [],
};
const L: Record<string, Level> = { O: 'OK', W: 'WARNING', C: 'CRITICAL', U: 'UNKNOWN' };

/** One line per run: "fire a:CRITICAL; end b" (what the snapshot says), or "-" when there is none. */
function play(
  runs: string[],
  options: { config?: Partial<PolicyConfig>; silences?: (run: number) => Silence[]; checks?: string[] } = {},
): string[] {
  const checks = options.checks ?? ['a', 'b'];
  let state: Record<string, CheckAlertState> = {};
  return runs.map((run, index) => {
    const now = new Date(T0.getTime() + index * 300_000);
    const results: CheckResult[] = [...run].map((letter, i) => ({
      name: checks[i]!,
      type: 'http',
      level: L[letter]!,
      message: `${checks[i]} is ${L[letter]}`,
      durationMs: 1,
    }));
    const decision = decide({
      previous: state,
      results,
      config: { ...BASE, ...options.config },
      silences: options.silences?.(index) ?? [],
      dependsOn: {},
      now,
      host: 'web-1',
      logFile: '/l',
    });
    const snapshot = runSnapshot({
      previous: state,
      next: decision.next,
      results,
      dropped: [],
      told: decision.messages,
      now,
      host: 'web-1',
      logFile: '/l',
    });
    state = { ...state, ...decision.next };
    if (!snapshot) return '-';
    return snapshot.entries
      .map((e) =>
        e.kind === 'recovered'
          ? `end ${e.check}${e.note ? ` (${e.note})` : ''}`
          : `fire ${e.check}:${e.level}${e.kind === 'down' ? ' new' : ''}`,
      )
      .join('; ');
  });
}

test('a failing check fires every run while it fails, not only when told; the recovery ends it', () => {
  assert.deepEqual(play(['CO', 'CO', 'CO', 'OO', 'OO']), [
    'fire a:CRITICAL new',
    'fire a:CRITICAL',
    'fire a:CRITICAL',
    'end a',
    '-',
  ]);
});

test('`after` holds (it fires once people would be told); `recover_after` too (it keeps firing until then)', () => {
  assert.deepEqual(play(['CO', 'CO', 'OO', 'OO'], { config: { after: 2, recover_after: 2 } }), [
    '-',
    'fire a:CRITICAL new',
    'fire a:CRITICAL',
    'end a',
  ]);
});

test('the level it fires at follows the check (WARNING → CRITICAL) under on: warning', () => {
  assert.deepEqual(play(['WO', 'CO', 'OO'], { config: { on: 'warning' } }), [
    'fire a:WARNING new',
    'fire a:CRITICAL new',
    'end a',
  ]);
});

test('a silence ends what it mutes; when it is over, what still fails fires again', () => {
  const silence: Silence = {
    id: 1,
    checks: ['a'],
    until: new Date(T0.getTime() + 12 * 60_000).toISOString(),
    created: T0.toISOString(),
  };
  const lines = play(['CC', 'CC', 'CC', 'CC'], { silences: (run) => (run === 1 || run === 2 ? [silence] : []) });
  assert.deepEqual(lines, [
    'fire a:CRITICAL new; fire b:CRITICAL new',
    'end a (muted by a silence); fire b:CRITICAL',
    'fire b:CRITICAL',
    'fire a:CRITICAL; fire b:CRITICAL',
  ]);
});

test('a newer snapshot replaces the queued ones and carries the alerts they ended', () => {
  const snap = (id: string, entries: AlertMessage['entries']): AlertMessage => ({
    id,
    kind: 'problem',
    subject: id,
    host: 'h',
    time: T0.toISOString(),
    entries,
    log_file: '',
    refresh: true,
  });
  const other: AlertMessage = {
    id: 'test',
    kind: 'test',
    subject: 'test',
    host: 'h',
    time: T0.toISOString(),
    entries: [],
    log_file: '',
  };
  const queue = [
    {
      message: snap('s1', [
        { check: 'x', kind: 'recovered', level: 'OK', message: 'ok' },
        { check: 'a', kind: 'reminder', level: 'CRITICAL', message: 'bad' },
      ]),
    },
    { message: other },
    { message: snap('s2', [{ check: 'y', kind: 'recovered', level: 'OK', message: 'ok' }]) },
  ];
  const fresh = snap('s3', [{ check: 'y', kind: 'reminder', level: 'CRITICAL', message: 'bad again' }]);
  const { kept, snapshot } = supersedeSnapshots(queue, fresh);
  assert.deepEqual(
    kept.map((item) => item.message.id),
    ['test'],
  );
  assert.deepEqual(
    snapshot.entries.map((e) => `${e.kind} ${e.check}`),
    ['recovered x', 'reminder y'],
  );
});

test('a firing check removed from the config is ended with the type it fired with (the same alert)', () => {
  const now = T0;
  const results: CheckResult[] = [
    { name: 'a', type: 'systemd', level: 'CRITICAL', message: 'inactive', durationMs: 1 },
  ];
  const first = decide({
    previous: {},
    results,
    config: BASE,
    silences: [],
    dependsOn: {},
    now,
    host: 'web-1',
    logFile: '/l',
  });
  const later = new Date(now.getTime() + 300_000);
  const gone = runSnapshot({
    previous: first.next,
    next: {},
    results: [],
    dropped: ['a'],
    told: [],
    now: later,
    host: 'web-1',
    logFile: '/l',
  })!;
  assert.deepEqual(gone.entries, [
    { check: 'a', kind: 'recovered', level: 'OK', message: 'no longer in the config', type: 'systemd' },
  ]);
  assert.equal(gone.subject, '[RESOLVED] web-1: a');
});
