// What help and usage errors say: exit codes and examples under --help, the global options each command honours,
// "did you mean" for a mistyped command, and flag combinations that make no sense. The man page is built from this.
import type { Command, Help } from 'commander';
import { UsageError } from './util/errors.js';
import { didYouMean } from './util/nearest.js';

const NAME = 'neuronova-health-check';

/** Printed after the program's own --help (and in the man page's EXIT STATUS and EXAMPLES). */
export const MAIN_HELP_AFTER = `
Exit codes (Nagios plugin convention):
  0  OK        every check is OK
  1  WARNING   the worst check is WARNING
  2  CRITICAL  at least one check is CRITICAL
  3  UNKNOWN   a check could not decide; or bad config or arguments, another
               run holds the lock, interrupted

Examples:
  sudo ${NAME}
      run every check once, as cron does, and print a table
  ${NAME} --only disk,memory,cpu --no-alert
      only the resources, without alerting anyone
  ${NAME} report --since 7d --json
      last week's uptime and incidents, as JSON

Help for one command: ${NAME} COMMAND --help. The manual: man ${NAME}.`;

/** What `report --since` accepts (src/report/window.ts). */
export const SINCE_HELP = 'window to report on: 24h, 7d, 30d, 90d, or any duration of at least 1m (45m, 12h, 2d)';

/** The global options each command uses, by the option's attribute name; --help shows only these. */
const HONOURS: Record<string, readonly string[]> = {
  run: ['config', 'json', 'quiet', 'alert', 'format', 'color', 'lang'],
  stats: ['json', 'quiet', 'color', 'lang'],
  report: ['config', 'json', 'quiet', 'color', 'lang'],
  'test-alert': ['config', 'json', 'quiet', 'color', 'lang'],
  'config check': ['config', 'json', 'quiet', 'lang'],
  'config example': ['quiet'],
  silence: ['config', 'json', 'quiet', 'lang'],
  'logs summary': ['config', 'json', 'quiet', 'lang'],
  'logs errors': ['config', 'json', 'quiet', 'lang'],
  'logs cleanup': ['config', 'json', 'quiet', 'lang'],
  serve: ['config', 'quiet', 'lang'],
};

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let at: Command | null = cmd; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Help settings for every command: a subcommand's help lists the global options it honours, under "Global Options". */
export const helpConfiguration: Partial<Help> = {
  showGlobalOptions: true,
  visibleGlobalOptions(this: Help, cmd: Command) {
    const honoured = HONOURS[commandPath(cmd)] ?? [];
    const globals: ReturnType<Help['visibleGlobalOptions']> = [];
    for (let at = cmd.parent; at; at = at.parent)
      globals.push(...at.options.filter((o) => !o.hidden && honoured.includes(o.attributeName())));
    return globals;
  },
};

/** Global options that take a value, and run's --only (run is the default command): their values are not commands. */
const VALUED = new Set(['--config', '--format', '--only', '--lang']);

/**
 * A first word that is no command is a typo, not an argument to the default `run` (commander would say "too many
 * arguments for 'run'"): name the nearest command instead.
 */
export function refuseUnknownCommand(argv: readonly string[], commands: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    if (arg.startsWith('-')) {
      if (VALUED.has(arg)) i++;
      continue;
    }
    if (commands.includes(arg) || arg === 'help') return;
    throw new UsageError(
      `unknown command "${arg}"${didYouMean(arg, commands)}; commands: ${commands.join(', ')} (see --help)`,
    );
  }
}

interface OutputFlags {
  json?: boolean;
  format?: string;
  only?: string;
}

/** Flag combinations that cannot mean anything, refused before a command starts. */
export function refuseConflictingFlags(flags: OutputFlags): void {
  if (flags.json && flags.format !== undefined) {
    throw new UsageError(`--json and --format ${flags.format} are two different outputs: give one of them`);
  }
  if (flags.only !== undefined && !flags.only.split(',').some((name) => name.trim())) {
    throw new UsageError('--only: no check names given; write them comma-separated, like --only disk,memory,cpu');
  }
}
