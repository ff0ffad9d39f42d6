// Test helper: a fake `systemctl` (a shell script first on PATH) that prints real `systemctl show` output from fixtures.
// systemd is not PID 1 in the test machines, so the real systemctl cannot answer for units; the texts it prints here
// were captured from a real systemd (see test/fixtures/systemctl/*.txt).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SYSTEMCTL_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'systemctl');

/** The captured unit states: each names test/fixtures/systemctl/<state>.txt. */
export type UnitState = 'active' | 'active-restarted' | 'failed' | 'activating' | 'not-found';

// Like the real one: `show UNIT... --property=A,B` prints only those properties, in systemd's own order, one block per
// unit with a blank line between, and exits 0 even for a unit that does not exist (LoadState=not-found). Which
// fixture a unit gets comes from the environment: ="nginx=active gunicorn_django=failed"
// (units not named are not-found).
// FAKE_SYSTEMCTL_ARGS, when set, is a file that gets the arguments of each call, one per line,
// then "## end of call".
const SCRIPT = `#!/bin/sh
if [ -n "$FAKE_SYSTEMCTL_ARGS" ]; then
  for a in "$@"; do printf '%s\\n' "$a" >> "$FAKE_SYSTEMCTL_ARGS"; done
  printf '%s\\n' '## end of call' >> "$FAKE_SYSTEMCTL_ARGS"
fi
[ "$1" = show ] || { echo "fake systemctl: only 'show' is faked" >&2; exit 1; }
shift
units=""; props=""; ended=""
for a in "$@"; do
  case "$ended$a" in
    --) ended=1 ;;
    --property=*) props="\${a#--property=}" ;;
    -*) ;;
    *) units="$units $a" ;;
  esac
done
# Like the real one: one block per unit named, in order, a blank line between blocks.
first=1
for unit in $units; do
  state=not-found
  for pair in $FAKE_SYSTEMCTL_UNITS; do
    [ "\${pair%%=*}" = "$unit" ] && state="\${pair#*=}"
  done
  file="$FAKE_SYSTEMCTL_FIXTURES/$state.txt"
  [ -f "$file" ] || { echo "fake systemctl: no fixture $file" >&2; exit 1; }
  [ -n "$first" ] || echo
  first=""
  grep -v '^#' "$file" | awk -F= -v props="$props" '
    BEGIN { n = split(props, list, ","); for (i = 1; i <= n; i++) wanted[list[i]] = 1 }
    n == 0 || ($1 in wanted)'
done
`;

export interface FakeSystemctl {
  /** The directory holding `systemctl`: put it first on PATH. */
  dir: string;
  /** Environment for a run: PATH with the fake first, and which fixture each unit gets. */
  env(units: Record<string, UnitState>, argsFile?: string): Record<string, string>;
  remove(): void;
}

export function makeFakeSystemctl(): FakeSystemctl {
  const dir = mkdtempSync(join(tmpdir(), 'nn-systemctl-'));
  const path = join(dir, 'systemctl');
  writeFileSync(path, SCRIPT);
  chmodSync(path, 0o755);
  return {
    dir,
    env(units, argsFile) {
      return {
        PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        FAKE_SYSTEMCTL_FIXTURES: SYSTEMCTL_FIXTURES,
        FAKE_SYSTEMCTL_UNITS: Object.entries(units)
          .map(([unit, state]) => `${unit}=${state}`)
          .join(' '),
        ...(argsFile ? { FAKE_SYSTEMCTL_ARGS: argsFile } : {}),
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
