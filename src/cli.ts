// The command line: parses argv, picks the command, prints, and maps results and errors to exit codes 0-3.
// commander is imported where the program is built: the plain run forms cron uses skip it (src/cli-fast.ts).
import type { Command, CommanderError } from 'commander';
import { plainRunFlags } from './cli-fast.js';
import {
  helpConfiguration,
  MAIN_HELP_AFTER,
  refuseConflictingFlags,
  refuseUnknownCommand,
  SINCE_HELP,
} from './cli-help.js';
import type { CommandIO, GlobalOptions } from './commands/io.js';
import { claimCrash } from './engine/crash-scope.js';
import { sayLastWords } from './last-words.js';
import { wantsColor } from './terminal/paint.js';
import { ConfigError, InterruptedError, messageOf, UsageError } from './util/errors.js';
import { maskText } from './util/mask.js';
import { readFileSync } from 'node:fs';
import { locateConfig } from './config/locate.js';
import { LANGUAGES, languageIn, say, useLanguage } from './i18n/index.js';

const NAME = 'neuronova-health-check';
const EXIT_UNKNOWN = 3;

/** The first SIGINT/SIGTERM asks the command to stop cleanly; a second one ends the process at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_UNKNOWN);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

function makeIO(flags: GlobalOptions): CommandIO {
  let interrupted: AbortSignal | undefined;
  return {
    // Armed on first use, which a run makes once its config is loaded: validating a config is synchronous work that
    // a JavaScript signal handler would wait for, while Node's default action for SIGTERM/SIGINT ends the process at
    // once — and before the run starts there is nothing to finish or release (docs/reliability.md).
    get interrupted() {
      return (interrupted ??= interruptSignal());
    },
    // --quiet: nothing on stdout, whatever the command (its problems still reach stderr).
    out: flags.quiet ? () => undefined : (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    color: wantsColor(process.stdout, flags.color === false),
  };
}

/** Wrap a lazily imported command so its exit code, or its error, ends the process. */
function action<F extends GlobalOptions>(
  load: () => Promise<(flags: F, io: CommandIO, ...args: never[]) => Promise<number>>,
  validatesConfig = true,
) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals() as F;
    // commander passes the command's declared arguments first, then its options and the command itself
    const positional = args.slice(0, -2) as never[];
    refuseConflictingFlags(flags);
    await chooseLanguage(flags);
    // zod's bundled copy, before the command's modules build their schemas (else zod-lazy loads it from node_modules,
    // slower). run and report use the cached config (src/config/cache.ts), which loads zod itself when it must.
    if (validatesConfig) await (await import('./config/zod-lazy.js')).loadZod();
    const handler = await load();
    const code = await handler(flags, makeIO(flags), ...positional);
    finish(code);
  };
}

/**
 * The language before the command starts: --lang, else the config file's `language:` as its text says it (a config
 * that fails to validate is refused in its own language). The command sets it again from the validated config.
 */
async function chooseLanguage(flags: GlobalOptions): Promise<void> {
  let lang = flags.lang;
  if (!lang) {
    try {
      lang = languageIn(readFileSync(locateConfig(flags.config).path, 'utf8'));
    } catch {
      // no file, or not readable: the command says so (in English until a config names a language)
    }
  }
  await useLanguage(lang);
}

function finish(code: number): never {
  // stdout/stderr writes are synchronous on Linux for files, pipes and terminals, so nothing is lost by exiting now;
  // exiting at once also frees the run from any socket a timed-out check left half-closed.
  process.exit(code);
}

async function buildProgram(): Promise<Command> {
  const { Command, Option } = await import('commander');
  // The channel registry builds no schema as it loads: naming the channels costs the help nothing.
  const { CHANNEL_KINDS } = await import('./notifiers/index.js');
  const program = new Command(NAME)
    .description("Check this host's services and resources, log, and alert when something turns CRITICAL.")
    .configureHelp(helpConfiguration)
    .addHelpText('after', MAIN_HELP_AFTER)
    .option('--config <path>', 'config file (else $NEURONOVA_HEALTH_CONFIG, else /etc/neuronova/health-check.yml)')
    .option('--json', 'machine output on stdout, nothing else')
    .option('--quiet', "nothing on stdout; the program's own problems still go to stderr")
    .option('--no-alert', 'check and log, never notify')
    .addOption(new Option('--format <format>', 'output format').choices(['nagios']))
    .option('--no-color', 'no colour (also NO_COLOR, or when stdout is not a terminal)')
    .addOption(
      new Option('--lang <language>', "language of the messages for this run (else the config's language)").choices(
        LANGUAGES,
      ),
    )
    .option('-V, --version', 'print the version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  program
    .command('run', { isDefault: true })
    .description('run every enabled check once, log, alert, exit with the overall level (the default command)')
    .option('--only <names>', 'run only these checks (comma-separated)')
    .action(action(async () => (await import('./commands/run.js')).runCommand, false));

  program
    .command('stats')
    .description('host CPU, memory and disk right now')
    .option('--path <path>', 'filesystem to report', '/')
    .action(action(async () => (await import('./commands/stats.js')).statsCommand, false));

  program
    .command('report')
    .description('uptime %, response times and incidents from the history')
    .option('--since <window>', SINCE_HELP, '24h')
    .option('--check <name>', 'only this check')
    .action(action(async () => (await import('./commands/report.js')).reportCommand, false));

  program
    .command('test-alert')
    .description('send a test message through each configured channel')
    .addOption(new Option('--channel <kind>', 'only this channel').choices(CHANNEL_KINDS))
    .action(action(async () => (await import('./commands/test-alert.js')).testAlertCommand));

  const config = program.command('config').description('validate or print the configuration');
  config
    .command('check')
    .description('validate the config and print what would run (exit 0 or 3)')
    .action(action(async () => (await import('./commands/config.js')).configCheckCommand));
  config
    .command('example')
    .description('print a complete, commented example config')
    .action(action(async () => (await import('./commands/config.js')).configExampleCommand, false));

  program
    .command('silence')
    .description('mute alerts for a while (checks still run and log)')
    .argument('[checks...]', 'only these checks (default: all)')
    .option('--for <duration>', 'how long, e.g. 2h')
    .option('--reason <text>', 'why (shown in runs and the log)')
    .option('--clear', 'end every silence now')
    .action(action(async () => (await import('./commands/silence.js')).silenceCommand));

  const logs = program.command('logs').description('look after the application log files named in log_sources');
  logs
    .command('summary')
    .description('size, lines, last write and rotated copies per file')
    .action(action(async () => (await import('./commands/logs.js')).logsSummaryCommand));
  logs
    .command('errors')
    .description('ERROR/CRITICAL/Traceback lines of the last N hours, newest last')
    .option('--hours <n>', 'how far back', '1')
    .action(action(async () => (await import('./commands/logs.js')).logsErrorsCommand));
  logs
    .command('cleanup')
    .description('delete rotated copies older than N days (never a live log)')
    .option('--days <n>', 'age in days', '7')
    .option('--dry-run', 'only say what would be deleted')
    .action(action(async () => (await import('./commands/logs.js')).logsCleanupCommand));

  program
    .command('serve')
    .description(
      'answer the health API over HTTP (health, readiness, stats, /metrics, status page, log API) until stopped',
    )
    .option('--listen <host:port>', 'address to listen on (else serve.listen, else 127.0.0.1:8787)')
    .option('--access-log <path>', 'access log file, rolled daily (else serve.access_log)')
    .action(action(async () => (await import('./commands/serve.js')).serveCommand));

  return program;
}

/** By its code: commander's classes are not loaded on the plain run path. */
function isCommanderError(error: unknown): error is CommanderError {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}

function report(error: unknown): number {
  // Masked: a config problem quotes the value it refuses, which may be a URL with a password in it.
  const print = (line: string) => process.stderr.write(`${NAME}: ${maskText(line)}\n`);
  if (error instanceof ConfigError) {
    // The key path is the schema's own words: masked, `serve.token: must be…` would read `serve.token: *** be…`.
    for (const problem of error.problems) {
      const key = /^[\w.[\]-]+: /.exec(problem)?.[0] ?? '';
      process.stderr.write(`${NAME}: ${maskText(error.file)}: ${key}${maskText(problem.slice(key.length))}\n`);
    }
  } else if (error instanceof UsageError || error instanceof InterruptedError) {
    print(error.message);
  } else if (isCommanderError(error)) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    )
      return 0;
    // commander puts its suggestion on a second line: one line, like every other error
    print(
      `${error.message.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean "$1"?)')} (see --help)`,
    );
  } else {
    // A bug of ours: one line for the operator, the stack only when asked for.
    print(say.config.internalError(messageOf(error)));
    if (process.env.NEURONOVA_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  return EXIT_UNKNOWN;
}

function nagiosReason(error: unknown): string {
  const text = error instanceof ConfigError ? `${error.file}: ${error.problems.join('; ')}` : messageOf(error);
  return maskText(text.replace(/^error: /, ''))
    .replace(/\|/g, '¦')
    .replace(/\s*\n\s*/g, '; ');
}

/**
 * An exception no code of ours caught (a library's callback, a promise nobody awaited). One that came from a check or
 * an after-run step fails that part only (engine/crash-scope.ts); any other is an internal error: one line, the
 * `--format nagios` line, the run's log line and its lock, then exit 3 — never Node's stack trace and exit 1.
 */
function onUncaught(argv: string[]) {
  return (error: unknown) => {
    if (claimCrash(error)) return;
    sayLastWords(messageOf(error));
    const code = report(error);
    if (code === EXIT_UNKNOWN && wantsNagios(argv))
      process.stdout.write(`UNKNOWN - internal error: ${nagiosReason(error)}\n`);
    finish(EXIT_UNKNOWN);
  };
}

/** `--format nagios`, unless `--json` (which wins: nothing but JSON on stdout). */
function wantsNagios(argv: string[]): boolean {
  return !argv.includes('--json') && /(^|\s)--format(=|\s+)nagios(\s|$)/.test(argv.join(' '));
}

async function main(argv: string[]): Promise<void> {
  process.on('uncaughtException', onUncaught(argv));
  process.on('unhandledRejection', onUncaught(argv));
  // A pipe takes 64 KiB at a time and Node queues the rest, which process.exit() then drops: `--json` with 1,000
  // checks piped to jq was cut at 65,536 bytes (found by the bench). Blocking writes make finish() safe for pipes too.
  for (const stream of [process.stdout, process.stderr])
    (stream as { _handle?: { setBlocking?(on: boolean): void } })._handle?.setBlocking?.(true);
  if (argv.includes('--version') || argv.includes('-V')) {
    const { packageVersion } = await import('./util/package-root.js');
    process.stdout.write(`${packageVersion()}\n`);
    finish(0);
  }
  try {
    // `--quiet [--config F]` and the like, what cron runs 105,120 times a year: straight to the run command.
    const plain = plainRunFlags(argv);
    if (plain) {
      refuseConflictingFlags(plain);
      await chooseLanguage(plain);
      const { runCommand } = await import('./commands/run.js');
      finish(await runCommand(plain, makeIO(plain)));
    }
    const program = await buildProgram();
    refuseUnknownCommand(
      argv,
      program.commands.map((command) => command.name()),
    );
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const code = report(error);
    // NRPE and Icinga show a plugin's stdout only: under --format nagios the reason is also the UNKNOWN line there.
    if (code === EXIT_UNKNOWN && wantsNagios(argv)) process.stdout.write(`UNKNOWN - ${nagiosReason(error)}\n`);
    finish(code);
  }
}

await main(process.argv.slice(2));
