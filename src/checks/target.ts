// What a check looks at, named by the config key that says it (`url`, `unit`, `path`, …): `config check` lists it,
// and an alert names it (masked), so a failure message says which URL, unit or file failed.

export interface CheckTarget {
  key: string;
  value: string;
}

export function checkTarget(check: Readonly<Record<string, unknown>>): CheckTarget | undefined {
  for (const key of ['unit', 'url', 'path', 'paths', 'command']) {
    const value = check[key];
    if (Array.isArray(value)) return { key, value: value.join(' ') };
    if (typeof value === 'string') return { key, value };
  }
  if (typeof check.host === 'string') return { key: 'address', value: `${check.host}:${String(check.port)}` };
  return undefined;
}
