// Names of rotated copies: what logrotate, Python's handlers and friends append to a live log's name.

// `.1`, `.12`; dates `-20251206`, `-2025120614`, `-20251206-1765000000` (dateformat with %s), `.2025-12-06`, `_2025-12-06_14-00`;
// each optionally compressed. A `-1` alone is not one: too many live names end that way.
const NUMBERED = String.raw`\.\d{1,4}`;
const COMPACT_DATE = String.raw`[.\-_]\d{8}(?:\d{2}|\d{4}|\d{6})?(?:-\d+)?`;
const DASHED_DATE = String.raw`[.\-_]\d{4}-\d{2}-\d{2}(?:[T_.-]\d{2}(?:[:-]?\d{2}){0,2})?`;
const COMPRESSED = String.raw`\.(?:gz|bz2|xz|zst|lz4|Z|zip)`;
const SUFFIX = new RegExp(`^(?:(?:${NUMBERED}|${COMPACT_DATE}|${DASHED_DATE})(?:${COMPRESSED})?|${COMPRESSED})$`);

/** True when `name` is `liveName` plus a rotation suffix (`app.log` → `app.log.1`, `app.log.2.gz`, `app.log-20251206`). */
export function isRotatedCopyOf(name: string, liveName: string): boolean {
  return name.length > liveName.length && name.startsWith(liveName) && SUFFIX.test(name.slice(liveName.length));
}

/** The live log's name for a rotated-looking name (`app.log.2.gz` → `app.log`), or undefined for a live-looking name. */
export function liveNameOf(name: string): string | undefined {
  // The suffix is at the end: try the longest suffix first (`app.log.2.gz` → `.2.gz`, not just `.gz`).
  for (let cut = 1; cut < name.length; cut++) {
    const c = name[cut];
    if ((c === '.' || c === '-' || c === '_') && SUFFIX.test(name.slice(cut))) return name.slice(0, cut);
  }
  return undefined;
}

/** Compressed copies are read through zlib when they are gzip; other compressions are listed but not read. */
export function isGzip(name: string): boolean {
  return name.endsWith('.gz');
}
