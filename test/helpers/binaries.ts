// Test helper: find an installed program, and decide whether a test that needs it may skip (never in CI).
import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The full path of `name` on PATH or in the extra directories, or undefined. */
export function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/usr/bin', '/sbin', ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** /usr/lib/postgresql/<newest>/bin, where Debian keeps initdb and pg_ctl off PATH. */
export function postgresBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

/**
 * The `skip` option for a test that needs a program: a message naming the Debian package when it is missing,
 * false when present. Under CI nothing may be skipped, so there it is always false and the test fails loudly instead.
 */
export function skipUnless(present: boolean, what: string, debianPackage: string): string | false {
  if (present || process.env.CI) return false;
  return `${what} is not installed (Debian package: ${debianPackage}); CI installs it and never skips`;
}
