// The catalogues have one shape: the compiler refuses a Korean catalogue with a message missing or with other
// parameters (the @ts-expect-error lines fail `tsc` if that ever stops being an error), and at run time every
// message of en is in ko and says something else in Korean.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en, type Catalogue } from '../../src/i18n/en.js';
import { ko } from '../../src/i18n/ko.js';
import { isLanguage, languageIn } from '../../src/i18n/index.js';

// A message missing from a catalogue does not compile…
// @ts-expect-error -- `run.finished` is missing
const _missing: Catalogue = { ...ko, run: { ...ko.run, finished: undefined } };
// …nor does one that takes other parameters.
// @ts-expect-error -- `run.started` must take (count: number, host: string)
const _otherParameters: Catalogue = { ...ko, run: { ...ko.run, started: (host: string[]) => host.join('') } };
void _missing;
void _otherParameters;

/** A message function's text for sample arguments: the first set of samples it accepts. */
function call(message: (...args: never[]) => unknown): string {
  const samples: unknown[][] = [
    [3, ['a', 'b'], 'c', 'd', 'e'],
    [['a', 'b'], 3, 'c', 'd', 'e'],
    ['2025-12-06 14:35:01', 'b', 'c', 'd', 'e'],
    ['CRITICAL', 'web-1', ['nginx', 'flask']],
    [true, 'b', 'c', ['d'], 'e', 'f'],
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
    // the checks' messages take one object of what they found
    [
      {
        percent: 83.1,
        path: '/',
        level: 'WARNING',
        crossed: '≥ 80%',
        freeGiB: 12.4,
        availableGiB: 1.5,
        totalGiB: 8,
        loads: [0.45, 0.5, 0.4],
        cores: 4,
        active: 'active',
        sub: 'running',
        status: 'HTTP 200 OK',
        problems: ['x'],
      },
    ],
  ];
  for (const args of samples) {
    try {
      return String((message as (...args: unknown[]) => unknown)(...args.slice(0, Math.max(message.length, 1))));
    } catch {
      // not these parameters: try the next samples
    }
  }
  throw new Error(`no sample arguments fit ${message.toString().slice(0, 80)}`);
}

/** Every message as a path and a sample text: functions are called with sample arguments. */
function texts(catalogue: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'function') out.set(path, call(value));
    else if (typeof value === 'string') out.set(path, value);
    else if (Array.isArray(value)) out.set(path, value.join('|'));
    else if (value && typeof value === 'object') for (const [p, text] of texts(value, path)) out.set(p, text);
  }
  return out;
}

test('every English message has a Korean one, in Korean', () => {
  const english = texts(en);
  const korean = texts(ko);
  assert.deepEqual([...korean.keys()].sort(), [...english.keys()].sort());
  // Messages that are the same in both by design: machine-like words, the rule line, units.
  const same = new Set([
    'lang',
    'run.rule',
    'stats.cpu',
    'duration',
    'dateTime',
    'orList',
    'alert.failingList',
    'config.seeHelp',
  ]);
  const untranslated = [...english].filter(
    ([path, text]) => !same.has(path) && korean.get(path) === text && /[a-z]{3}/.test(text),
  );
  assert.deepEqual(untranslated, []);
});

test('the language a config text names is read without parsing YAML; anything else is no language', () => {
  assert.equal(languageIn('log_file: /x\nlanguage: ko\n'), 'ko');
  assert.equal(languageIn('language: "ko"  # 한국어\n'), 'ko');
  assert.equal(languageIn("language: 'en'\n"), 'en');
  assert.equal(languageIn('language: fr\n'), undefined);
  assert.equal(languageIn('checks:\n  - language: ko\n'), undefined, 'only the top-level key');
  assert.ok(isLanguage('ko') && !isLanguage('KO'));
});
