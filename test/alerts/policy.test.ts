// The alert policy, table by table: after, repeat, recovery, hysteresis, flapping, depends_on folding, silences, windows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decide, type PolicyConfig } from '../../src/alerts/policy.js';
import type { CheckAlertState, Silence } from '../../src/alerts/state.js';
import type { AlertMessage } from '../../src/alerts/message.js';
import type { Level } from '../../src/levels.js';
import type { CheckResult } from '../../src/types.js';

const T0 = new Date(2025, 11, 7, 1, 0, 0); // a Sunday, 01:00 local time
const FIVE_MIN = 5 * 60_000;
const BASE: PolicyConfig = {
  on: 'critical',
  after: 1,
  recover_after: 1,
  repeat: 3_600_000,
  recovery: true,
  maintenance: [],
};

const L: Record<string, Level> = { O: 'OK', W: 'WARNING', C: 'CRITICAL', U: 'UNKNOWN' };

interface Play {
  /** One string per run: level letters in check order, e.g. "CO" = first check CRITICAL, second OK; "-" = not run. */
  runs: string[];
  checks?: string[];
  config?: Partial<PolicyConfig>;
  dependsOn?: Record<string, string[]>;
  silences?: Silence[];
  start?: Date;
  stepMs?: number;
}

/** Drive the policy through runs; one line per run: "down a; reminder b" per message, " + " between messages. */
function play(p: Play): { lines: string[]; messages: AlertMessage[][]; state: Record<string, CheckAlertState> } {
  const checks = p.checks ?? ['a'];
  let state: Record<string, CheckAlertState> = {};
  const lines: string[] = [];
  const messages: AlertMessage[][] = [];
  p.runs.forEach((run, index) => {
    const now = new Date((p.start ?? T0).getTime() + index * (p.stepMs ?? FIVE_MIN));
    const results: CheckResult[] = [];
    [...run].forEach((letter, i) => {
      if (letter === '-') return;
      const name = checks[i]!;
      results.push({
        name,
        type: 'http',
        level: L[letter]!,
        message: `${name} is ${L[letter]}`,
        durationMs: 1,
        hint: `fix ${name}`,
        ...(p.dependsOn?.[name] ? { dependsOn: p.dependsOn[name] } : {}),
      });
    });
    const out = decide({
      previous: state,
      results,
      config: { ...BASE, ...p.config },
      silences: p.silences ?? [],
      dependsOn: p.dependsOn ?? {},
      now,
      host: 'web-1',
      logFile: '/var/log/neuronova/health_check.log',
    });
    state = { ...state, ...out.next };
    messages.push(out.messages);
    lines.push(out.messages.map((m) => m.entries.map((e) => `${e.kind} ${e.check}`).join('; ')).join(' + '));
  });
  return { lines, messages, state };
}

const quiet = (n: number) => Array<string>(n).fill('');

describe('after, repeat and recovery', () => {
  const table: Array<{ name: string; play: Play; expect: string[] }> = [
    {
      name: 'after 1: the first failing run alerts, the next ones are quiet, OK recovers',
      play: { runs: ['C', 'C', 'C', 'O', 'O'] },
      expect: ['down a', '', '', 'recovered a', ''],
    },
    {
      name: 'after 3: two failing runs say nothing, the third alerts',
      play: { runs: ['C', 'C', 'C', 'C'], config: { after: 3 } },
      expect: ['', '', 'down a', ''],
    },
    {
      name: 'failures below `after` that heal say nothing at all',
      play: { runs: ['C', 'C', 'O', 'C', 'O'], config: { after: 3 } },
      expect: ['', '', '', '', ''],
    },
    {
      name: 'repeat 1h on 5-minute runs: a reminder at 60 min and 120 min, never in between',
      play: { runs: Array(25).fill('C') },
      expect: ['down a', ...quiet(11), 'reminder a', ...quiet(11), 'reminder a'],
    },
    {
      name: 'repeat 0 never reminds',
      play: { runs: Array(30).fill('C'), config: { repeat: 0 } },
      expect: ['down a', ...quiet(29)],
    },
    {
      name: 'recovery: false ends the incident silently',
      play: { runs: ['C', 'O', 'C'], config: { recovery: false } },
      expect: ['down a', '', 'down a'],
    },
    {
      name: 'recover_after 3: needs three OK runs in a row; a failure in between starts over',
      play: { runs: ['C', 'O', 'O', 'C', 'O', 'O', 'O'], config: { recover_after: 3 } },
      expect: ['down a', '', '', '', '', '', 'recovered a'],
    },
    { name: 'on: critical ignores WARNING', play: { runs: ['W', 'W', 'O'] }, expect: ['', '', ''] },
    {
      name: 'on: warning alerts on WARNING, and again at once when it turns CRITICAL',
      play: { runs: ['W', 'W', 'C', 'C', 'O'], config: { on: 'warning' } },
      expect: ['down a', '', 'down a', '', 'recovered a'],
    },
    {
      name: 'UNKNOWN neither fails nor recovers: it holds the streak',
      play: { runs: ['C', 'U', 'U', 'O'] },
      expect: ['down a', '', '', 'recovered a'],
    },
    {
      name: 'UNKNOWN between failures does not reset `after`',
      play: { runs: ['C', 'U', 'C'], config: { after: 2 } },
      expect: ['', '', 'down a'],
    },
    {
      name: 'WARNING under on: critical does not count as recovered',
      play: { runs: ['C', 'W', 'W', 'O'] },
      expect: ['down a', '', '', 'recovered a'],
    },
    {
      name: 'one message lists every newly failing check',
      play: { runs: ['OOO', 'CCO', 'CCC'], checks: ['a', 'b', 'c'] },
      expect: ['', 'down a; down b', 'down c'],
    },
    {
      name: 'a recovery and a new failure in the same run: RECOVERED first, then the problem',
      play: { runs: ['CO', 'OC'], checks: ['a', 'b'] },
      expect: ['down a', 'recovered a + down b'],
    },
    {
      name: 'a check not run (--only) keeps its state and is never told about',
      play: { runs: ['CC', 'C-', 'O-', 'OC'], checks: ['a', 'b'] },
      expect: ['down a; down b', '', 'recovered a', ''],
    },
  ];
  for (const row of table) {
    test(row.name, () => assert.deepEqual(play(row.play).lines, row.expect));
  }

  test('a reminder is never earlier than `repeat` (30 s of grace for cron start-up jitter only)', () => {
    const { lines } = play({ runs: Array(8).fill('C'), stepMs: 9 * 60_000, config: { repeat: 3_600_000 } });
    // 9-minute runs: 54 min is too early, 63 min is the first at or after an hour
    assert.deepEqual(lines, ['down a', '', '', '', '', '', '', 'reminder a']);
    const jitter = play({ runs: ['C', 'C'], stepMs: 3_600_000 - 2000 });
    assert.deepEqual(jitter.lines, ['down a', 'reminder a']);
  });

  test('RECOVERED says how long the check was down, up to its first OK run (not the hysteresis after it)', () => {
    const { messages } = play({ runs: ['O', 'C', 'C', 'C', 'O', 'O'], config: { recover_after: 2 } });
    const recovered = messages[5]![0]!;
    assert.equal(recovered.subject, '[RECOVERED] web-1: a');
    assert.equal(recovered.entries[0]!.down_for_ms, 15 * 60_000);
  });

  test('a reminder carries when the incident began; a new message carries the hint', () => {
    const { messages } = play({ runs: Array(13).fill('C') });
    const down = messages[0]![0]!;
    assert.equal(down.subject, '[CRITICAL] web-1: a');
    assert.equal(down.entries[0]!.hint, 'fix a');
    const reminder = messages[12]![0]!;
    assert.equal(reminder.entries[0]!.kind, 'reminder');
    assert.equal(Date.parse(reminder.entries[0]!.since!), T0.getTime());
  });
});

describe('flapping', () => {
  test('a check that fails, recovers, fails… is told as flapping once, then quiet until steady', () => {
    const { lines, messages } = play({ runs: ['C', 'O', 'C', 'O', 'C', 'O', 'C', 'O', 'O', 'O', 'O', 'O', 'O'] });
    assert.deepEqual(lines, ['down a', 'recovered a', 'flapping a', '', '', '', '', '', '', '', '', 'recovered a', '']);
    assert.equal(messages[2]![0]!.subject, '[FLAPPING] web-1: a');
    assert.match(messages[11]![0]!.entries[0]!.note!, /steady again/);
  });

  test('flapping that settles into failing is told once more, as failing steadily', () => {
    const { lines, messages } = play({ runs: ['C', 'O', 'C', 'O', 'C', 'C', 'C', 'C', 'C', 'C'] });
    // the fifth failing run in a row (index 8) ends the flapping
    assert.deepEqual(lines, ['down a', 'recovered a', 'flapping a', '', '', '', '', '', 'reminder a', '']);
    assert.match(messages[8]![0]!.entries[0]!.note!, /no longer flapping/);
  });

  test('with recover_after 2, hysteresis alone keeps an alternating check from paging on every edge', () => {
    const { lines } = play({ runs: ['C', 'O', 'C', 'O', 'C', 'O', 'C', 'O'], config: { recover_after: 2 } });
    assert.deepEqual(lines, ['down a', '', '', '', '', '', '', '']);
  });

  test('with after 3, short blips are never told, flapping or not', () => {
    const { lines } = play({ runs: ['C', 'O', 'C', 'O', 'C', 'O'], config: { after: 3 } });
    assert.deepEqual(lines, ['', '', '', '', '', '']);
  });

  test('edges far apart (outside the 10-run window) are not flapping', () => {
    const runs = ['C', 'O', ...Array(9).fill('O'), 'C'];
    assert.deepEqual(play({ runs }).lines, ['down a', 'recovered a', ...quiet(9), 'down a']);
  });
});

describe('depends_on folding', () => {
  const dependsOn = { 'django-api': ['nginx'], 'flask-api': ['nginx'] };
  const checks = ['nginx', 'django-api', 'flask-api'];

  test('children failing with their parent are named under it, not paged on their own', () => {
    const { lines, messages } = play({ runs: ['OOO', 'CCC'], checks, dependsOn });
    assert.deepEqual(lines, ['', 'down nginx']);
    const message = messages[1]![0]!;
    assert.equal(message.subject, '[CRITICAL] web-1: nginx');
    assert.deepEqual(message.entries[0]!.also, ['django-api', 'flask-api']);
  });

  test('when the parent recovers and a child still fails, the child is announced then', () => {
    const { lines } = play({ runs: ['CCC', 'OCO'], checks, dependsOn });
    assert.deepEqual(lines, ['down nginx', 'recovered nginx + down django-api']);
  });

  test('a chain folds into its top failing check', () => {
    const { messages } = play({ runs: ['CCC'], checks: ['a', 'b', 'c'], dependsOn: { b: ['a'], c: ['b'] } });
    assert.equal(messages[0]![0]!.subject, '[CRITICAL] web-1: a');
    assert.deepEqual(messages[0]![0]!.entries[0]!.also, ['b', 'c']);
  });

  test('a child failing alone pages on its own', () => {
    const { lines } = play({ runs: ['OCO'], checks, dependsOn });
    assert.deepEqual(lines, ['down django-api']);
  });

  test('a parent not run this time (--only) still folds its child by its last known level', () => {
    const { lines } = play({ runs: ['CO-', '-C-'], checks, dependsOn });
    assert.deepEqual(lines, ['down nginx', '']);
  });
});

describe('silences and maintenance windows', () => {
  const silence = (fromRun: number, toRun: number, checks: string[] = []): Silence => ({
    id: 1,
    checks,
    created: new Date(T0.getTime() + fromRun * FIVE_MIN).toISOString(),
    until: new Date(T0.getTime() + toRun * FIVE_MIN - 1000).toISOString(),
  });

  test('a failure during a silence is told when the silence ends, not before', () => {
    const { lines, messages } = play({ runs: ['O', 'C', 'C', 'C', 'C'], silences: [silence(0, 3)] });
    assert.deepEqual(lines, ['', '', '', 'down a', '']);
    assert.match(messages[3]![0]!.entries[0]!.note!, /began while alerts were muted by a silence/);
  });

  test('a failure that heals inside the silence is never told', () => {
    const { lines } = play({ runs: ['C', 'C', 'O', 'O'], silences: [silence(0, 3)] });
    assert.deepEqual(lines, ['', '', '', '']);
  });

  test('announced before, still failing when the silence ends: told again at once', () => {
    const { lines, messages } = play({ runs: ['C', 'C', 'C', 'C', 'C'], silences: [silence(1, 3)] });
    assert.deepEqual(lines, ['down a', '', '', 'reminder a', '']);
    assert.match(messages[3]![0]!.entries[0]!.note!, /still failing now the silence is over/);
  });

  test('announced before, recovered during the silence: RECOVERED is told when it ends', () => {
    const { lines } = play({ runs: ['C', 'O', 'O', 'O', 'O'], silences: [silence(1, 3)] });
    assert.deepEqual(lines, ['down a', '', '', 'recovered a', '']);
  });

  test('a silence for one check leaves the others alerting', () => {
    const { lines } = play({ runs: ['CC'], checks: ['a', 'b'], silences: [silence(0, 5, ['a'])] });
    assert.deepEqual(lines, ['down b']);
  });

  test('a Sunday 03:00 maintenance window mutes during the hour and tells what still fails after it', () => {
    const start = new Date(2025, 11, 7, 2, 55, 0); // Sunday 02:55
    const maintenance = [{ days: [0], start: '03:00', duration: 3_600_000 }];
    const runs = Array(15).fill('C'); // 02:55 … 04:05
    const { lines } = play({ runs, start, config: { maintenance, after: 2 } });
    assert.deepEqual(lines, ['', ...quiet(12), 'down a', '']); // 04:00 is the first run outside the window
  });

  test('the same window on another day does not mute', () => {
    const start = new Date(2025, 11, 8, 3, 10, 0); // Monday 03:10
    const maintenance = [{ days: [0], start: '03:00', duration: 3_600_000 }];
    assert.deepEqual(play({ runs: ['C'], start, config: { maintenance } }).lines, ['down a']);
  });
});
