// Turns zod issues into the `path.to.key: what is wrong` lines a config error lists.
import { say } from '../i18n/index.js';
import type { z } from 'zod';
import { maskText } from '../util/mask.js';

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || say.config.topLevelPath;
}

// zod's own wording ("Too small: expected array to have >=1 items"); anything else is a message a schema chose
// (`.min(1, 'must name the program: ...')`) and says more than a generic rewrite would.
const ZOD_DEFAULT_MESSAGE = /^(Invalid (input|option|value)|Too (small|big))\b/;

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (input !== undefined && !ZOD_DEFAULT_MESSAGE.test(issue.message) && issue.code !== 'invalid_type')
    return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? say.config.required(typeWord(issue.expected))
        : say.config.mustBe(typeWord(issue.expected), kindOf(input));
    case 'too_small':
      return issue.origin === 'array'
        ? say.config.atLeastItems(Number(issue.minimum))
        : issue.origin === 'string'
          ? say.config.notEmpty
          : say.config.atLeast(issue.minimum);
    case 'too_big':
      return say.config.atMost(issue.maximum);
    case 'invalid_value':
      return say.config.oneOf(
        issue.values.map((v) => JSON.stringify(v)),
        typeof input === 'string' ? shownText(input) : JSON.stringify(input),
      );
    default:
      return issue.message;
  }
}

// YAML words for zod's type names: a config author writes lists and mappings, not arrays and objects.
function typeWord(expected: string): string {
  return say.config.typeWord[expected] ?? expected;
}

/** A value may be quoted back only when it is a plain word or number (`"80"`, `warnign`); a URL, a token, anything
 * longer is not echoed at all — the key names what is wrong (docs/config-rules.md). */
const PLAIN_VALUE = /^[A-Za-z0-9 ._%-]{0,24}$/;

export function shownText(value: string): string {
  return PLAIN_VALUE.test(value) && maskText(value) === value
    ? JSON.stringify(value)
    : `of ${value.length} characters (not shown: it may hold a secret)`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return say.config.kindList;
  if (typeof value === 'object') return say.config.kindMapping;
  if (typeof value === 'string') return say.config.kindText(shownText(value));
  return say.config.kindOther(typeof value, String(value));
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One line per problem, in file order as far as zod reports it. */
export function issueLines(issues: readonly z.core.$ZodIssue[], root: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    // "unknown key" reads best with the key itself in the path.
    if (issue.code === 'unrecognized_keys') {
      // strictObject joins one message per key with "; ": give each unknown key its own line
      const messages = issue.message.split('; ');
      issue.keys.forEach((key, i) => {
        const message = messages.length === issue.keys.length ? messages[i]! : say.config.unknownKeyPlain(key);
        lines.push(`${formatPath([...issue.path, key])}: ${message}`);
      });
      continue;
    }
    lines.push(`${formatPath(issue.path)}: ${describe(issue, valueAt(root, issue.path))}`);
  }
  return lines;
}
