// The `expect:` rules of an http check: status, body keywords, JSON fields — each miss described in words.
import { say } from '../i18n/index.js';

export type StatusRule = number | number[] | string;

/** Does `status` satisfy the rule: 200, [200, 204], "200..399" or "2xx"? */
export function statusMatches(status: number, rule: StatusRule | undefined): boolean {
  if (rule === undefined) return status >= 200 && status <= 399;
  if (typeof rule === 'number') return status === rule;
  if (Array.isArray(rule)) return rule.includes(status);
  const range = /^(\d{3})\.\.(\d{3})$/.exec(rule);
  if (range) return status >= Number(range[1]) && status <= Number(range[2]);
  const family = /^([1-5])xx$/i.exec(rule);
  if (family) return Math.floor(status / 100) === Number(family[1]);
  return false;
}

export function isStatusRule(rule: unknown): boolean {
  if (typeof rule === 'number') return Number.isInteger(rule) && rule >= 100 && rule <= 599;
  if (Array.isArray(rule)) return rule.length > 0 && rule.every(isStatusRule);
  return typeof rule === 'string' && (/^\d{3}\.\.\d{3}$/.test(rule) || /^[1-5]xx$/i.test(rule));
}

/** Value at a dotted path (`services.database.status`, `workers.0.name`) in parsed JSON. */
export function valueAtPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Every expect miss on the body, in words; empty when the body is as expected. */
export function bodyMisses(
  body: string,
  expect: {
    contains?: string[] | undefined;
    not_contains?: string[] | undefined;
    json?: Record<string, unknown> | undefined;
  },
): string[] {
  const misses: string[] = [];
  for (const keyword of expect.contains ?? [])
    if (!body.includes(keyword)) misses.push(say.check.http.bodyLacks(keyword));
  for (const keyword of expect.not_contains ?? [])
    if (body.includes(keyword)) misses.push(say.check.http.bodyContains(keyword));
  if (expect.json && Object.keys(expect.json).length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      misses.push('body is not JSON');
      return misses;
    }
    for (const [path, wanted] of Object.entries(expect.json)) {
      const actual = valueAtPath(parsed, path);
      if (actual === undefined) misses.push(say.check.http.jsonMissing(path, JSON.stringify(wanted)));
      else if (JSON.stringify(actual) !== JSON.stringify(wanted))
        misses.push(say.check.http.jsonIs(path, JSON.stringify(actual), JSON.stringify(wanted)));
    }
  }
  return misses;
}
