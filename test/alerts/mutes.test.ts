// Maintenance windows (local time, days, across midnight) and silences: which checks are muted, and until when.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeMutes, muteFor, windowEnd } from '../../src/alerts/mutes.js';
import { alertsSchema } from '../../src/alerts/schema.js';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/util/errors.js';

const sunday = (h: number, m = 0) => new Date(2025, 11, 7, h, m);
const monday = (h: number, m = 0) => new Date(2025, 11, 8, h, m);

test('a window is open from its start for its duration, on its days only', () => {
  const window = alertsSchema.parse({ maintenance: [{ days: ['sun'], start: '03:00', duration: '1h' }] })
    .maintenance[0]!;
  assert.equal(windowEnd(window, sunday(2, 59)), undefined);
  assert.deepEqual(windowEnd(window, sunday(3, 0)), sunday(4, 0));
  assert.deepEqual(windowEnd(window, sunday(3, 59)), sunday(4, 0));
  assert.equal(windowEnd(window, sunday(4, 0)), undefined);
  assert.equal(windowEnd(window, monday(3, 30)), undefined);
});

test('a window that starts late on Sunday stays open past midnight', () => {
  const window = alertsSchema.parse({ maintenance: [{ days: ['Sunday'], start: '23:30', duration: '2h' }] })
    .maintenance[0]!;
  assert.deepEqual(windowEnd(window, monday(0, 45)), monday(1, 30));
  assert.equal(windowEnd(window, new Date(2025, 11, 9, 0, 45)), undefined); // Tuesday: Monday is not a window day
});

test('a window without days is every day; one without checks mutes them all', () => {
  const [window] = alertsSchema.parse({
    maintenance: [{ start: '03:00', duration: '30m', reason: 'backups' }],
  }).maintenance;
  const mutes = activeMutes([], [window!], monday(3, 10));
  assert.equal(muteFor(mutes, 'anything')?.reason, 'backups');
});

test('silences mute their checks until they end; the longest one wins', () => {
  const now = sunday(12);
  const silences = [
    { id: 1, checks: ['nginx'], created: sunday(11).toISOString(), until: sunday(13).toISOString() },
    { id: 2, checks: [], created: sunday(11).toISOString(), until: sunday(12, 30).toISOString() },
    { id: 3, checks: [], created: sunday(9).toISOString(), until: sunday(10).toISOString() },
  ];
  const mutes = activeMutes(silences, [], now);
  assert.equal(mutes.length, 2);
  assert.deepEqual(muteFor(mutes, 'nginx')?.until, sunday(13));
  assert.deepEqual(muteFor(mutes, 'disk')?.until, sunday(12, 30));
});

test('bad maintenance entries are refused with the key and a fix', () => {
  const yaml = [
    'checks: [{ name: nginx, type: systemd, unit: nginx }]',
    'alerts:',
    '  maintenance:',
    '    - { days: [sonday], start: "25:00", duration: 0, checks: [ngnix] }',
  ].join('\n');
  assert.throws(
    () => parseConfigText(yaml, 'bad.yml', {}),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      assert.match(text, /alerts\.maintenance\[0\]\.days\[0\]: "sonday" is not a day \(did you mean "sunday"\?\)/);
      assert.match(text, /alerts\.maintenance\[0\]\.start: must be a local time like "03:00"/);
      assert.match(text, /alerts\.maintenance\[0\]\.duration: must be between 1m and 7d/);
      assert.match(text, /alerts\.maintenance\[0\]\.checks\[0\]: no check named "ngnix" \(did you mean "nginx"\?\)/);
      return true;
    },
  );
});
