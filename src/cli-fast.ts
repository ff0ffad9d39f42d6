// The plain run forms cron and the timer use (`--quiet`, `--config F`, …), parsed without loading commander.
//
// Commander is ~45 KB to load and set up on each start (~5 ms of a ~230 ms run, docs/performance.md). Only argv
// made entirely of the run command's own simple flags is taken here, giving exactly the flags commander would
// (optsWithGlobals: alert and color default to true); anything else — help, version, another command, an unknown,
// repeated or odd flag — returns undefined and commander parses it as always, errors and suggestions included.
import { isLanguage } from './i18n/index.js';
import type { RunFlags } from './commands/run.js';

const BOOLEAN: Record<string, [key: 'quiet' | 'json' | 'alert' | 'color', value: boolean]> = {
  '--quiet': ['quiet', true],
  '--json': ['json', true],
  '--no-alert': ['alert', false],
  '--no-color': ['color', false],
};
const VALUED: Record<string, 'config' | 'only' | 'format' | 'lang'> = {
  '--config': 'config',
  '--only': 'only',
  '--format': 'format',
  '--lang': 'lang',
};

export function plainRunFlags(argv: readonly string[]): RunFlags | undefined {
  const flags: RunFlags = { alert: true, color: true };
  const seen = new Set<string>();
  for (let i = argv[0] === 'run' ? 1 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(name)) return undefined;
    seen.add(name);
    const boolean = BOOLEAN[arg];
    if (boolean) {
      flags[boolean[0]] = boolean[1];
      continue;
    }
    const key = VALUED[name];
    if (!key) return undefined;
    const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    // commander checks --format against its choices; leave any other value to it and its message
    if (key === 'format' && value !== 'nagios') return undefined;
    if (key === 'lang') {
      if (!isLanguage(value)) return undefined;
      flags.lang = value;
      continue;
    }
    flags[key] = value;
  }
  return flags;
}
