// Turns zod issues into the `path.to.key: what is wrong` lines a config error lists.
import type { z } from 'zod';
import { maskText } from '../util/mask.js';

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

// zod's own wording ("Too small: expected array to have >=1 items"); anything else is a message a schema chose
// (`.min(1, 'must name the program: ...')`) and says more than a generic rewrite would.
const ZOD_DEFAULT_MESSAGE = /^(Invalid (input|option|value)|Too (small|big))\b/;

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (input !== undefined && !ZOD_DEFAULT_MESSAGE.test(issue.message) && issue.code !== 'invalid_type') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}, not ${kindOf(input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${typeof input === 'string' ? shownText(input) : JSON.stringify(input)}`;
    default:
      return issue.message;
  }
}

// YAML words for zod's type names: a config author writes lists and mappings, not arrays and objects.
const YAML_TYPE: Record<string, string> = { array: 'list', object: 'mapping', record: 'mapping' };

function article(expected: string): string {
  const word = YAML_TYPE[expected] ?? expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A value may be quoted back only when it is a plain word or number (`"80"`, `warnign`); a URL, a token, anything
 * longer is not echoed at all — the key names what is wrong (docs/config-rules.md). */
const PLAIN_VALUE = /^[A-Za-z0-9 ._%-]{0,24}$/;

export function shownText(value: string): string {
  return PLAIN_VALUE.test(value) && maskText(value) === value ? JSON.stringify(value) : `of ${value.length} characters (not shown: it may hold a secret)`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${shownText(value)}`;
  return `${typeof value} ${String(value)}`;
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
        const message = messages.length === issue.keys.length ? messages[i]! : `unknown key "${key}"`;
        lines.push(`${formatPath([...issue.path, key])}: ${message}`);
      });
      continue;
    }
    lines.push(`${formatPath(issue.path)}: ${describe(issue, valueAt(root, issue.path))}`);
  }
  return lines;
}
