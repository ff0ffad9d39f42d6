// Turns zod issues into the `path.to.key: what is wrong` lines a config error lists.
import type { z } from 'zod';

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}, not ${kindOf(input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(input)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
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
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
      lines.push(`${formatPath([...issue.path, issue.keys[0]!])}: ${issue.message}`);
      continue;
    }
    lines.push(`${formatPath(issue.path)}: ${describe(issue, valueAt(root, issue.path))}`);
  }
  return lines;
}
