// Glob expansion with node:fs (Node 20 has no fs.glob): `*`, `?` and `[...]` inside one path segment, no `**`.
import { readdirSync, statSync } from 'node:fs';

const GLOB_CHARS = /[*?[]/;

export function hasGlob(segment: string): boolean {
  return GLOB_CHARS.test(segment);
}

/** A segment pattern as a regex: `*` any run, `?` one character, `[a-z]`/`[!a-z]` a class; the rest literal. */
export function segmentRegex(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The directory part of a pattern before its first glob segment, exactly as written (`..` kept: the caller resolves
 * it with realpath, the way the kernel will), and whether any segment is a glob.
 */
export function splitPattern(pattern: string): { fixedDir: string; globbed: boolean } {
  const segments = pattern.split('/');
  const first = segments.findIndex(hasGlob);
  if (first < 0) return { fixedDir: segments.slice(0, -1).join('/') || '/', globbed: false };
  return { fixedDir: segments.slice(0, first).join('/') || '/', globbed: true };
}

/**
 * Files (regular files, symlinks followed) matching an absolute pattern, in sorted order. Literal segments are joined
 * as written, so `..` means what the kernel makes of it. Hidden names match only a segment that starts with a dot.
 */
export function expandGlob(pattern: string): string[] {
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let paths = [segments[0] === '' ? '' : '.'];
  for (const segment of segments.slice(1)) {
    if (!hasGlob(segment)) {
      paths = paths.map((p) => `${p}/${segment}`);
      continue;
    }
    const regex = segmentRegex(segment);
    const next: string[] = [];
    for (const dir of paths) {
      let names: string[];
      try {
        names = readdirSync(dir || '/');
      } catch {
        continue; // not a directory, or not readable: nothing matches below it
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (regex.test(name)) next.push(`${dir}/${name}`);
      }
    }
    paths = next;
  }
  return paths.filter((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}
