// Nagios performance data: parsing what plugins print (`'label'=value[UOM];warn;crit;min;max`) and writing it back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nagiosPerfDatum } from '../../src/outputs/nagios.js';
import { parsePerfdata } from '../../src/util/perfdata.js';

describe('parsePerfdata', () => {
  test('plain labels, units and all four extra fields', () => {
    assert.deepEqual(parsePerfdata('load1=0.52;4;6;0 time=0.013s;;;0 /=2643MB;5948;5958;0;5968'), [
      { label: 'load1', value: 0.52, warn: '4', crit: '6', min: 0 },
      { label: 'time', value: 0.013, uom: 's', min: 0 },
      { label: '/', value: 2643, uom: 'MB', warn: '5948', crit: '5958', min: 0, max: 5968 },
    ]);
  });

  test("quoted labels with spaces, '=' and an escaped quote", () => {
    assert.deepEqual(parsePerfdata("'disk /srv'=83.1%;80;90;0;100 'a=b'=1 'it''s'=2c"), [
      { label: 'disk /srv', value: 83.1, uom: '%', warn: '80', crit: '90', min: 0, max: 100 },
      { label: 'a=b', value: 1 },
      { label: "it's", value: 2, uom: 'c' },
    ]);
  });

  test('ranges in warn/crit are kept as text; negative and exponent values parse', () => {
    assert.deepEqual(parsePerfdata('temp=-3.5;10:20;@5:30 big=1e3'), [
      { label: 'temp', value: -3.5, warn: '10:20', crit: '@5:30' },
      { label: 'big', value: 1000 },
    ]);
  });

  test('no perfdata, or junk, gives nothing', () => {
    assert.deepEqual(parsePerfdata(''), []);
    assert.deepEqual(parsePerfdata('just words here'), []);
  });
});

describe('nagiosPerfDatum writes what parsePerfdata reads', () => {
  test('quotes the label, drops empty trailing fields, and round-trips', () => {
    const datum = { label: "disk '/'", value: 83.1, uom: '%', warn: '80', crit: '90', min: 0, max: 100 };
    const text = nagiosPerfDatum(datum);
    assert.equal(text, "'disk ''/'''=83.1%;80;90;0;100");
    assert.deepEqual(parsePerfdata(text), [datum]);
    assert.equal(nagiosPerfDatum({ label: 'time', value: 0.25, uom: 's' }), "'time'=0.25s");
    assert.equal(nagiosPerfDatum({ label: 'x', value: 1, min: 0 }), "'x'=1;;;0");
  });
});
