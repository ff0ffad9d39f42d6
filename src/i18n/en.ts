// The English catalogue: every sentence the program writes for people. ko.ts must have the same shape (see Catalogue).
// A message with parameters is a function of them; machine words (levels, JSON, metric names) never come from here.
import { formatDuration } from '../util/duration.js';
import type { Level } from '../levels.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `a, b or c`. */
const orList = (items: readonly string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : items.join('');

export const en = {
  /** The `<html lang>` of the status page. */
  lang: 'en',
  /** A duration for people: 850ms, 12s, 5m, 2h 5m, 3d 4h. */
  duration: (ms: number) => formatDuration(ms),
  /** A date and minute for people (the status page): 2025-12-06 14:35. */
  dateTime: (stamp: string) => stamp.slice(0, 16),
  orList,

  run: {
    rule: '========================================',
    started: (count: number, host: string) => `Health check started (${plural(count, 'check')}, host ${host})`,
    builtInDefaults: (path: string) => ` with built-in defaults (no config file at ${path})`,
    builtInChecks: (why: string) => ` with the built-in checks (${why})`,
    finished: (level: Level, counts: string, ms: number) => `Health check finished: ${level} (${counts}) in ${ms} ms`,
    /** "1 critical, 1 warning, 6 ok": only the counts that are not zero, ok always. */
    counts: (s: { ok: number; warning: number; critical: number; unknown: number }) =>
      [
        s.critical && `${s.critical} critical`,
        s.unknown && `${s.unknown} unknown`,
        s.warning && `${s.warning} warning`,
        `${s.ok} ok`,
      ]
        .filter(Boolean)
        .join(', '),
    interrupted: (signal: string) => `interrupted by ${signal}: checks stopped, nothing alerted or recorded`,
    interruptedLine: (why: string) => `Health check ${why}`,
    stepFailed: (step: string, why: string) => `${step}: ${why}`,
    stateDirUnusable: (dir: string, why: string) =>
      `cannot use state_dir ${dir}: ${why} (run as root, or set state_dir to a writable directory); alert state will not be kept`,
    stateNotSaved: (dir: string, why: string) => `cannot save state in ${dir}: ${why}`,
    logUnwritable: (path: string, why: string, permission: boolean) =>
      `cannot write the log ${path}: ${why}${permission ? ' (run as root, or set log_file to a writable path)' : ''}`,
    statusPageNoHistory: (why: string) => `status page: cannot read history, showing this run only: ${why}`,
    heartbeatSent: (url: string) => `Heartbeat sent: ${url}`,
    watchdogStepsStderr: (deadline: string) =>
      `the after-run steps did not finish by the run's deadline (${deadline}); stopped by its watchdog`,
    watchdogStepsLog: (level: Level, deadline: string) =>
      `Health check stopped by its watchdog: ${level}, but the after-run steps did not finish by the deadline (${deadline})`,
    internalError: (reason: string) => `Health check stopped by an internal error: ${reason}`,
    pingFailed: (url: string, why: string) => `ping to ${url} failed: ${why}`,
    pingNoAnswer: (ms: number) => `no answer within ${ms} ms`,
    watchdogStderr: (deadline: string) =>
      `internal error: the run did not finish by its deadline (${deadline}); stopped by its watchdog`,
    watchdogLog: (deadline: string) =>
      `Health check stopped by its watchdog: not finished by the deadline (${deadline}); no result recorded`,
    statusPageUnwritable: (path: string, why: string) =>
      `cannot write ${path}: ${why} (make outputs.status_dir writable by the user the run uses)`,
    historyUnwritable: (path: string, why: string) =>
      `cannot append to ${path}: ${why} (history lives in state_dir; make it writable by the user the run uses)`,
    historyNotRotated: (path: string, why: string) => `cannot rotate ${path}: ${why}`,
    historyNotPruned: (files: readonly string[]) =>
      `run recorded, but old history could not be deleted: ${files.join(', ')}`,
    prometheusUnwritable: (path: string, why: string, permission: boolean) =>
      `cannot write the Prometheus textfile ${path}: ${why}${permission ? ' (run as root, or point outputs.prometheus at a writable directory)' : ''}`,
  },

  terminal: {
    hint: (text: string) => `hint: ${text}`,
    noChecks: '  (no checks enabled)',
    summary: (level: Level, counts: string, ms: number, logFile: string) =>
      `${level} (${counts}) in ${ms} ms · log: ${logFile}`,
    firstRunHint: (path: string) =>
      `Not a NeuroNova host? No ${path}, so the built-in checks ran: try --only disk,memory,cpu, or \`config example\` for a config to start from.`,
  },

  alert: {
    /** `[CRITICAL] web-1: nginx, flask`; word is the level, or FLAPPING. */
    problemSubject: (word: string, host: string, checks: readonly string[]) =>
      `[${word}] ${host}: ${checks.join(', ')}`,
    recoveredSubject: (host: string, checks: readonly string[]) => `[RECOVERED] ${host}: ${checks.join(', ')}`,
    testSubject: (host: string, program: string) => `[TEST] ${host}: test alert from ${program}`,
    /** A first body line naming what fails, in the seed's way (none in English: the subject says it). */
    failingList: (_checks: readonly string[]): string | undefined => undefined,
    failingFor: (duration: string, since: string) => `failing for ${duration} (since ${since})`,
    down: (check: string, level: Level, message: string, duration: string, note: string) =>
      `${check} — ${level}: ${message}${duration ? `; ${duration}` : ''}${note ? ` (${note})` : ''}`,
    reminder: (check: string, level: Level, message: string, duration: string, note: string) =>
      `${check} — still ${level}${duration ? `, ${duration}` : ''}: ${message}${note ? ` (${note})` : ''}`,
    flapping: (check: string, level: Level, message: string, note: string) =>
      `${check} — FLAPPING${note ? ` (${note})` : ''}; now ${level}: ${message}`,
    recovered: (check: string, message: string, downFor: string | undefined, since: string | undefined, note: string) =>
      `${check} — OK again${downFor ? ` after ${downFor} down` : ''}${since ? ` (failing since ${since})` : ''}: ${message}${note ? ` (${note})` : ''}`,
    also: (checks: readonly string[]) => `also failing because of it: ${checks.join(', ')}`,
    hint: (text: string) => `hint: ${text}`,
    late: (made: string) => `Delivered late: this message is from ${made}; the channel could not be reached then.`,
    time: (stamp: string, host: string) => `Time: ${stamp} (${host} local time)`,
    more: (program: string, host: string, logFile: string) =>
      `More: run \`${program} run\` on ${host}, or read its log ${logFile}`,
    testBody: (program: string, host: string) => [
      `This is a test alert from ${program} on ${host}, sent by \`${program} test-alert\`.`,
      'Nothing is wrong: if you can read this, the channel works.',
    ],
    slackTest: 'Nothing is wrong: if you can read this, the Slack channel works.',
    testDetails: 'test alert: nothing is wrong',
    /** Where a chat channel's text was cut to the service's limit (at most 11 characters). */
    cutHere: '(cut here)',
    noLongerFailing: (check: string, host: string) => `${check} is no longer failing on ${host}`,
    failingOn: (check: string, level: Level, host: string, message: string) =>
      `${check} ${level} on ${host}: ${message}`,
    testEndsItself: 'sent by test-alert: nothing is wrong; it ends by itself in 5 minutes',
    testResolveByHand: (program: string) => `sent by \`${program} test-alert\`: nothing is wrong; resolve it by hand`,
    andMore: (count: number, checks: readonly string[]) => `…and ${count} more: ${checks.join(', ')}`,
    /** Why an entry is told beyond its kind (src/alerts/policy.ts). */
    notes: {
      steadilyFailing: 'no longer flapping: failing steadily',
      beganWhileMuted: (silence: boolean) =>
        `began while alerts were muted by ${silence ? 'a silence' : 'a maintenance window'}`,
      was: (level: Level) => `was ${level}`,
      stillFailingAfterMute: (silence: boolean) =>
        `still failing now the ${silence ? 'silence' : 'maintenance window'} is over`,
      steadyAgain: 'steady again',
      mutedBy: (silence: boolean) => `muted by ${silence ? 'a silence' : 'a maintenance window'}`,
      flapping: (times: number, window: number, steady: number) =>
        `went down or came back ${times} times in its last ${window} runs; nothing more is said about it until it is steady for ${steady} runs`,
    },
  },

  delivery: {
    line: (subject: string, firstTried: string | undefined) =>
      `Alert${firstTried ? ` (retry, first tried ${firstTried})` : ''}: ${subject}`,
    sent: (labels: readonly string[]) => `Alert sent: ${labels.join(', ')}`,
    notSent: (label: string, why: string, until: string) =>
      `Alert not sent: ${label}: ${why}; kept to retry on the next runs until ${until}`,
    blocked: (why: string) => `waits behind an older undelivered message (${why})`,
    refused: (label: string, why: string, key: string) =>
      `Alert refused for good: ${label}: ${why}; not retried (fix ${key})`,
    expired: (label: string, subject: string, lastError: string | undefined) =>
      `Alert dropped: ${label} could not deliver "${subject}" for 24 h (last error: ${lastError ?? 'unknown'})`,
    overflow: (label: string, subject: string) =>
      `Alert dropped: ${label} has too many undelivered messages; the oldest goes: "${subject}"`,
    channelGone: (count: number, kind: string) =>
      `Alert outbox: ${count} undelivered message(s) for ${kind} dropped: the channel is no longer configured`,
    outboxUnreadable: (count: number) => `Alert outbox: ${count} unreadable message(s) in the state file dropped`,
    cannotLoad: (kind: string, why: string) => `cannot load what sends ${kind}: ${why}`,
    noTimeLeft: "no time left before the run's deadline",
    handedOver: (label: string, subject: string, at: string) =>
      `Alert not sent again: ${label} was handed "${subject}" at ${at} by a run that was stopped before the answer came; it has most likely arrived`,
    notSentNowhere: (subject: string) =>
      `Alert not sent: the state cannot be saved anywhere, so it could not be remembered and would go out again on every run: ${subject}`,
    waitPastDeadline: (what: string, wait: string) => `${what}: asked to wait ${wait}, past this run's deadline`,
    timeout: (duration: string) => `no answer within ${duration} (timeout)`,
    failed: 'failed',
    subjectOnly: (subject: string) => `Alert: ${subject}`,
    notSentNoAlert: (subject: string) => `Alert not sent (--no-alert): ${subject}`,
    notSentNoState: (dir: string, subject: string) =>
      `Alert not sent: state_dir ${dir} cannot be written, so it could not be remembered: ${subject}`,
    notSentWhy: (why: string) => `Alert not sent: ${why}`,
    noChannel: (keys: readonly string[], envVars: string) =>
      `no channel configured (set ${orList(keys)}, or env ${envVars})`,
  },

  mute: {
    silence: (until: string, reason: string | undefined) => `silence until ${until}${reason ? `: ${reason}` : ''}`,
    maintenance: (until: string, reason: string | undefined) =>
      `maintenance window until ${until}${reason ? `: ${reason}` : ''}`,
    event: { down: 'failing', reminder: 'still failing', flapping: 'flapping', recovered: 'recovered' },
    muted: (mute: string, checks: readonly string[]) =>
      `Alerts muted (${mute}): ${checks.join(', ')}; told when it ends if still so`,
    inForce: (
      silence: boolean,
      until: string,
      left: string,
      checks: readonly string[],
      reason: string | undefined,
      by: string | undefined,
    ) => {
      const why = [reason, by ? `by ${by}` : ''].filter(Boolean).join(', ');
      return `${silence ? 'Alerts silenced' : 'Maintenance window'} until ${until} (${left} left) for ${checks.length ? checks.join(', ') : 'all checks'}${why ? ` — ${why}` : ''}`;
    },
  },

  /** The alert state and the run lock (src/state/). */
  state: {
    lockHeld: (pid: number, path: string, ageS: number) =>
      `another run (pid ${pid}) holds ${path} since ${ageS}s ago; wait for it to finish, or delete the file if no run is going on`,
    lockContended: (path: string) => `cannot take the lock ${path}; other runs keep taking it`,
    cannotRead: (path: string, why: string) => `cannot read ${path}: ${why}`,
    corrupt: (path: string, why: string) => `state file ${path} was corrupt (${why}); starting afresh`,
    savedAgain: (dir: string, before: string) =>
      `state saved in ${dir} again (it could not be written before: ${before})`,
    savedInFallback: (dir: string, why: string, fallback: string) =>
      `cannot save state in ${dir}: ${why}; kept in ${fallback} until it can be (alerts are remembered and not sent twice; said once)`,
    savedNowhere: (dir: string, fallback: string, why: string) =>
      `cannot save state in ${dir} nor in ${fallback}: ${why}; alerts are not sent while they cannot be remembered`,
  },

  logs: {
    noSources: (where: string | null) =>
      `no log_sources in ${where ?? 'the built-in defaults (no config file)'}: add the application's logs, e.g. log_sources: [/var/log/nginx/*.log, /srv/app/logs/*.log]`,
    notPositive: (flag: string, unit: string, fallback: number, value: string | undefined) =>
      `--${flag}: expected a number of ${unit} above 0, like ${fallback}, not "${value}"`,
    hours: 'hours',
    days: 'days',
    justNow: 'just now',
    ago: (span: string) => `${span} ago`,
    noFiles: (pattern: string, reason: string) => `no files for ${pattern}: ${reason}`,
    leftAlone: (path: string, reason: string) => `left alone: ${path}: ${reason}`,
    header: ['FILE', 'SIZE', 'LINES', 'LAST WRITE', 'ROTATED'],
    noLiveLog: 'no live log',
    noLogFiles: 'no log files found',
    liveTotal: (live: number, total: string) => `${plural(live, 'live log')}, ${total} with their rotated copies`,
    errorsFound: (count: number, hours: number, files: number) =>
      `${plural(count, 'error line')} in the last ${hours === 1 ? 'hour' : `${hours} hours`} (${plural(files, 'file')} read)`,
    noErrors: (hours: number, files: number) =>
      `no ERROR/CRITICAL/Traceback lines in the last ${hours === 1 ? 'hour' : `${hours} hours`} (${files} files written to in that time)`,
    untimed: (path: string, count: number) =>
      `${path}: ${plural(count, 'error line')} without a timestamp we can read, not shown`,
    cannotRead: (path: string, reason: string) => `cannot read ${path}: ${reason}`,
    cannotDelete: (path: string, reason: string) => `cannot delete ${path}: ${reason}`,
    deleted: (dryRun: boolean, path: string, size: string, ago: string) =>
      `${dryRun ? 'would delete' : 'deleted'} ${path} (${size}, last written ${ago})`,
    freed: (dryRun: boolean, size: string, count: number, days: number, kept: number) =>
      `${dryRun ? 'dry run: would free' : 'freed'} ${size} (${count} rotated cop${count === 1 ? 'y' : 'ies'} older than ${plural(days, 'day')}); kept ${kept} newer, live logs untouched`,
  },

  usage: {
    onlyUnknown: (refusal: string, names: readonly string[]) => `--only: ${refusal}; checks: ${names.join(', ')}`,
    silenceUnknown: (refusal: string, names: readonly string[]) => `silence: ${refusal}; checks: ${names.join(', ')}`,
    clearAlone: 'silence --clear ends every silence; give it no --for and no check names',
    silenceHowLong: 'silence: say for how long, e.g. `silence --for 2h --reason deploy nginx`',
    notDuration: (value: string) => `--for: "${value}" is not a duration; write it like 30m, 2h or 1d`,
    tooLong: (value: string) =>
      `--for: ${value} is longer than 30d; to stop checking something for good, set enabled: false on it in the config`,
    sinceWindow: (since: string) =>
      `--since: "${since}" is not a window to report on; use 24h, 7d, 30d or 90d (any duration like 12h or 2d works)`,
  },

  silence: {
    ended: (count: number) => `Ended ${plural(count, 'silence')}: alerts are on again.`,
    noneWas: 'No silence was in force.',
    noneInForce: 'No silence or maintenance window is in force: alerts are on.',
    added: (until: string, span: string, checks: readonly string[], reason: string | undefined) =>
      `Alerts silenced until ${until} (${span}) for ${checks.length ? checks.join(', ') : 'all checks'}${reason ? ` — ${reason}` : ''}.\n` +
      'Checks still run and log; whatever is still failing when the silence ends is announced then. End it early with `silence --clear`.',
  },

  configCheck: {
    ok: (file: string) => `${file}: OK`,
    okBuiltInChecks: (file: string, checks: string) =>
      `${file}: OK; it lists no checks, so the built-in NeuroNova checks run (${checks})`,
    builtInOk: (path: string) => `no config file at ${path}: the built-in defaults are valid`,
    wouldRun: (count: number) => `${plural(count, 'check')} would run:`,
    disabled: (count: number) => `(${count} disabled)`,
    alerts: (channels: readonly string[], on: string) =>
      `alerts: ${channels.length ? channels.join(', ') : 'no channel configured'} (on ${on})`,
  },

  testAlert: {
    noChannel: (keys: readonly string[], envVars: string) =>
      `no alert channel configured: add ${orList(keys)} to the config (or set ${envVars})`,
    noSuchChannel: (kind: string, configured: readonly string[]) =>
      `--channel ${kind}: no ${kind} channel configured (configured: ${configured.join(', ')})`,
    sent: (label: string) => `${label}: sent`,
    allSent: (count: number) =>
      `Test alert sent through ${count === 1 ? 'the channel' : `all ${count} channels`}: check that it arrived.`,
    someFailed: (failed: number, total: number, retry: string) =>
      `${failed} of ${plural(total, 'channel')} failed; fix and try again with \`${retry}\`.`,
    logSent: (labels: readonly string[]) => `Test alert sent: ${labels.join(', ')}`,
    logNotSent: (error: string) => `Test alert not sent: ${error}`,
    refusedForGood: (label: string, reason: string) => `${label}: refused for good: ${reason}`,
    refusedForNow: (label: string, reason: string) => `${label}: refused for now (a run would retry it): ${reason}`,
  },

  report: {
    title: (host: string, since: string, from: string, to: string) =>
      `Uptime report · ${host} · last ${since} (${from} → ${to})`,
    noRuns: (dir: string) => [
      `  No runs recorded in this window in ${dir}.`,
      '  Every run appends to the history: is cron running the checks, and can it write state_dir?',
    ],
    header: ['CHECK', 'UPTIME', 'RUNS', 'AVG', 'P50', 'P95', 'MAX', 'DOWNTIME', 'INCIDENTS', 'LAST'],
    noRunsCell: 'no runs',
    ongoingCount: (count: number) => ` (${count} ongoing)`,
    met: 'met',
    missed: 'MISSED',
    availability: (percent: string, up: number, runs: number, target: number, verdict: string) =>
      `Availability ${percent} (every check up in ${up} of ${runs} runs) · target ${target}%: ${verdict}`,
    noIncidents: 'No incidents.',
    incidents: (count: number) => `Incidents (${count}, newest first)`,
    olderIncidents: (count: number) => `  … ${count} older ones (all of them with --json)`,
    skippedLines: (count: number) => `(${plural(count, 'unreadable history line')} skipped: a run cut short mid-write)`,
    ongoing: 'ongoing',
    cannotRead: (dir: string, why: string) =>
      `cannot read the history in ${dir}: ${why} (run as root, or as the user cron runs the checks as)`,
    noSuchCheck: (name: string, guess: string) =>
      `--check: no check named "${name}" in the config or the history${guess}`,
  },

  stats: {
    title: (stamp: string) => `neuronova-health-check stats · ${stamp}`,
    cpu: 'CPU',
    memory: 'Memory',
    disk: (path: string) => `Disk ${path}`,
    cpuText: (cores: number, load: string) => `busy · ${plural(cores, 'core')} · load ${load}`,
    memoryText: (available: string, total: string) => `used · ${available} available of ${total}`,
    diskText: (free: string, total: string, used: string) => `used · ${free} free of ${total} (${used} used)`,
    noSuchPath: (path: string) => `--path ${path}: no such file or directory (name a mounted path, like / or /var)`,
    permissionDenied: (path: string) => `--path ${path}: permission denied`,
  },

  config: {
    /** The prefix of every config problem line: the file, then `path.to.key: what is wrong`. */
    noSuchFile: 'no such file (create it with `neuronova-health-check config example > FILE`, or fix the path)',
    permissionDenied: 'permission denied (run as root, or make the file readable)',
    isDirectory: 'is a directory, not a YAML file',
    yamlAt: (line: number, column: number) => `line ${line}, column ${column}`,
    yamlSyntax: (where: string, message: string) => `${where}: ${message} (fix the YAML syntax there)`,
    topLevelPath: '(top level)',
    notMapping: 'must be a mapping of keys like log_file, checks, alerts',
    builtIn: '(built-in defaults)',
    required: (expected: string) => `is required (${expected})`,
    mustBe: (expected: string, given: string) =>
      `must be ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}, not ${given}`,
    atLeastItems: (n: number) => `needs at least ${plural(n, 'item')}`,
    notEmpty: 'must not be empty',
    atLeast: (n: unknown) => `must be at least ${String(n)}`,
    atMost: (n: unknown) => `must be at most ${String(n)}`,
    oneOf: (values: readonly string[], given: string) => `must be one of ${values.join(', ')}, not ${given}`,
    /** YAML's words for zod's type names. */
    typeWord: {
      array: 'list',
      object: 'mapping',
      record: 'mapping',
      string: 'string',
      number: 'number',
      boolean: 'boolean',
    } as Record<string, string>,
    kindList: 'a list',
    kindMapping: 'a mapping',
    kindText: (shown: string) => `the text ${shown}`,
    kindOther: (type: string, value: string) => `${type} ${value}`,
    unknownKeyPlain: (key: string) => `unknown key "${key}"`,
    unknownKey: (key: string, guess: string | undefined, valid: readonly string[]) =>
      guess
        ? `unknown key "${key}" (did you mean "${guess}"?)`
        : `unknown key "${key}" (valid keys: ${valid.join(', ')})`,
    duplicateName: (name: string, index: number) =>
      `"${name}" is already the name of checks[${index}]; names must be unique`,
    dependsOnItself: 'a check cannot depend on itself',
    noChecksIn: (file: string) => `no checks: in ${file}`,
    noCheckNamed: (name: string, guess: string) => `no check named "${name}"${guess}`,
    didYouMean: (guess: string) => ` (did you mean "${guess}"?)`,
    checkNeedsType: (types: readonly string[]) => `needs a "type": one of ${types.join(', ')}`,
    unknownCheckType: (given: string, guess: string, types: readonly string[]) =>
      `unknown check type "${given}"${guess}; valid types: ${types.join(', ')}`,
    noUnit: (value: number) => `${value} has no unit: write it like ${value}s or ${value}ms`,
    notDuration: (value: string) => `${value} is not a duration: write it like 500ms, 10s, 5m, 1h or 2d`,
    warningAboveCritical: 'warning must not be above critical',
    unknownPlaceholder: (unknown: readonly string[], all: readonly string[]) =>
      `unknown placeholder ${unknown.join(', ')}: the placeholders are ${all.join(' ')} (write {{ and }} for literal braces)`,
    warningAbove: (warning: number, critical: string) =>
      `${warning} must not be above critical (${critical}): a value between them would be CRITICAL before it is ever WARNING`,
    criticalBelow: (critical: number, warning: string) =>
      `${critical} must not be below warning (${warning}): a value between them would be CRITICAL before it is ever WARNING`,
    dependsOnCycle: (cycle: string) =>
      `depends_on cycle ${cycle} (none of them would ever alert; remove one depends_on)`,
    outOfRange: (value: string, limit: string, positive: boolean) =>
      `${value} is out of range: must be ${positive ? 'more than 0 and ' : ''}at most ${limit}`,
    theDeadline: (duration: string) => `the deadline (${duration})`,
    repeatOutOfRange: (value: string, limit: string) =>
      `${value} is out of range: must be 0 (never) or at most ${limit}`,
    fileTooBig: (mib: string) =>
      `(file): ${mib} MiB is more than a config file may hold (1 MiB); keep checks the host really has, or split hosts' checks into their own files`,
    tooManyChecks: (count: number, max: number) =>
      `${count} checks is more than the ${max} a config may list; split them over several hosts' configs`,
    httpUrl: 'must be an http:// or https:// URL',
    checkName: 'must be letters, digits, "-", "_" or "." (at most 64), like django-api',
    internalError: (why: string) => `internal error: ${why} (set NEURONOVA_DEBUG=1 for details)`,
    seeHelp: (text: string) => `${text} (see --help)`,
  },

  /** What each check says about what it found (the log line and the JSON `message`). */
  check: {
    /** One mount: `24% used on / (77.1 GiB free)`, with the threshold reached (`≥ 90%`) when there is one. */
    disk: (m: {
      percent: number;
      path: string;
      level: Level;
      crossed?: string | undefined;
      freeGiB: number;
      inodes?: { percent: number; level: Level; crossed: string } | undefined;
    }) =>
      `${m.percent}% used on ${m.path} (${m.crossed ? `${m.crossed}; ` : ''}${m.freeGiB} GiB free${m.inodes ? `, inodes ${m.inodes.percent}% used (${m.inodes.crossed})` : ''})`,
    memory: (m: {
      percent: number;
      level: Level;
      crossed?: string | undefined;
      availableGiB: number;
      totalGiB: number;
    }) =>
      `${m.percent}% used (${m.crossed ? `${m.crossed}; ` : ''}${m.availableGiB} GiB available of ${m.totalGiB} GiB)`,
    cpu: (m: {
      loads: readonly number[];
      cores: number;
      percent: number;
      level: Level;
      crossed?: string | undefined;
    }) =>
      `load ${m.loads.join(' ')} on ${m.cores} cores (${m.percent}% of capacity${m.crossed ? `, ${m.crossed}` : ''})`,
    systemd: {
      /** `active (running) since …, restarted 2 times since the previous run (5 restarts in total)`; since and total only in the log. */
      state: (u: {
        active: string;
        sub: string;
        result?: string | undefined;
        since?: string | undefined;
        restartedSince?: number | undefined;
        restartsTotal?: number | undefined;
      }) =>
        `${u.active} (${u.sub})${u.result ? ` result ${u.result}` : ''}${u.since ? ` since ${u.since}` : ''}${
          u.restartedSince ? `, restarted ${plural(u.restartedSince, 'time')} since the previous run` : ''
        }${u.restartsTotal ? ` (${plural(u.restartsTotal, 'restart')} in total)` : ''}`,
      notFound: (unit: string) => `unit ${unit} not found`,
      noAnswer: (unit: string) => `systemctl show did not answer for ${unit}`,
      notOnPath: 'systemctl not found on PATH',
      tooLong: (kib: number) => `systemctl show answered more than ${kib} KiB per unit`,
      failed: (why: string) => `systemctl show failed: ${why}`,
      partial: (answered: number, units: number) => `systemctl show answered for ${answered} of ${units} units`,
    },
    http: {
      /** `HTTP 200 OK`, then what missed (`body lacks "healthy"`, `slow: …`), for the JSON message. */
      result: (r: { level: Level; status: string; problems: readonly string[] }) =>
        [r.status, ...r.problems].join(', '),
      /** The log line's form: the result, the URL and the time. */
      from: (message: string, url: string, ms: number, truncated: boolean) =>
        `${message} from ${url} (${ms} ms${truncated ? ', body read up to 1 MiB' : ''})`,
      failed: (why: string, url: string, ms: number) => `${why}: ${url} (${ms} ms)`,
      noResponse: 'no response before the timeout',
      acceptSelfSigned: (why: string) => `${why} (set tls_verify: false to accept it)`,
      slow: (ms: number, max: number) => `slow: ${ms} ms > ${max} ms`,
      certExpires: (days: number) => `TLS certificate expires in ${plural(days, 'day')}`,
      bodyLacks: (keyword: string) => `body lacks "${keyword}"`,
      bodyContains: (keyword: string) => `body contains "${keyword}"`,
      jsonMissing: (path: string, wanted: string) => `JSON ${path} is missing (expected ${wanted})`,
      jsonIs: (path: string, actual: string, wanted: string) => `JSON ${path} is ${actual}, expected ${wanted}`,
      tooManyRedirects: (limit: number) => `too many redirects (${limit})`,
      invalidRedirect: 'redirect to an invalid location',
      redirectProtocol: (protocol: string) =>
        `redirect to a ${protocol}: URL refused (only http and https are followed)`,
      redirectLoop: (url: string) => `redirect loop: ${url} again`,
      headersTooLarge: (kib: number) => `response headers larger than ${kib} KiB`,
      endedEarly: 'the response ended before its body was complete',
    },
    /** Socket and TLS errors in plain words (src/checks/net-errors.ts). */
    net: {
      refused: 'connection refused',
      hostNotFound: 'host not found',
      reset: 'connection reset',
      unreachable: 'host unreachable',
      timedOut: 'connection timed out',
      socketNotFound: 'socket file not found',
      socketDenied: 'permission denied on the socket',
      certExpired: 'TLS certificate has expired',
      selfSigned: 'TLS certificate is self-signed',
      untrusted: 'TLS certificate is not signed by a trusted CA',
      wrongHost: 'TLS certificate does not match the host name',
    },
    tcp: {
      cannotConnect: (target: string, why: string) => `cannot connect to ${target}: ${why}`,
      connected: (target: string, ms?: number) => `connected to ${target}${ms !== undefined ? ` (${ms} ms)` : ''}`,
    },
    /** What the datastore checks share: the failure line, slowness, a worker that died (src/probes/). */
    probe: {
      failedAt: (why: string, url: string, ms: number | undefined) =>
        `${why}: ${url}${ms !== undefined ? ` (${ms} ms)` : ''}`,
      slow: (ms: number, max: number) => `, slow: ${ms} ms > ${max} ms`,
      tooMuch: (label: string, mib: number) =>
        `${label}: peer sent more than ${mib} MiB without a complete answer (connection closed)`,
      spinning: (label: string, seconds: number) =>
        `${label}: peer sent a malformed message (the ${label} client stopped responding: busy ${seconds} s without a pause)`,
      failed: (label: string, why: string) => `${label}: the check failed: ${why}`,
      heapOut: (label: string, mib: number) =>
        `${label}: peer sent more than the ${label} client could hold (its ${mib} MiB heap ran out)`,
      cannotStart: (label: string, why: string) => `${label}: could not start the ${label} client: ${why}`,
      malformed: (label: string, detail: string) => `${label}: peer sent a malformed message (${detail})`,
      noAnswer: (label: string, code: number | string) =>
        `${label}: the ${label} client stopped without an answer (exit code ${code})`,
      closedByServer: 'connection closed by the server',
    },
    redis: {
      tlsHint: (why: string) => `${why} (tls_verify: false accepts it)`,
      wrongUserPassword: (user: string) => `wrong user name or password (WRONGPASS for user ${user})`,
      wrongPassword: 'wrong password (WRONGPASS)',
      noAuth: 'authentication required (NOAUTH): the URL has no password; write it as redis://:PASSWORD@host:6379/0',
      noPasswordSet: 'the URL gives a password but the server has none set (AUTH refused)',
      noDatabase: (db: string) => `database ${db} does not exist (DB index is out of range)`,
      loading: 'Redis is still loading its dataset (LOADING)',
      masterDown: 'replica has lost its master (MASTERDOWN)',
      unexpectedReply: (answer: string) => `unexpected reply to PING: ${answer}`,
      pong: (tls: boolean): string => (tls ? 'PONG (TLS)' : 'PONG'),
      from: (message: string, url: string, ms: number) => `${message} from ${url} (${ms} ms)`,
    },
    postgres: {
      tlsHint: (why: string, mode: string) => `${why} (sslmode=${mode}; sslmode=require encrypts without checking it)`,
      defaultUser: 'the default user',
      wrongPassword: (user: string) => `wrong password for user ${user} (password authentication failed)`,
      unknownDatabase: (text: string) => `unknown database: ${text}`,
      unknownUser: (text: string) => `unknown user: ${text}`,
      pgHba: (text: string) => `refused by pg_hba.conf: ${text}`,
      notAccepting: (text: string) => `the server is not accepting connections: ${text}`,
      tooManyConnections: (text: string) => `too many connections: ${text}`,
      needsPassword: (user: string) =>
        `the server asks for a password and the URL has none (write it as postgres://${user}:PASSWORD@host/db)`,
      noTls: (mode: string) => `the server does not offer TLS (sslmode=${mode}; use sslmode=prefer or disable)`,
      tlsFailed: (mode: string) => `TLS negotiation failed (sslmode=${mode})`,
      sasl: (text: string) =>
        `postgres: the server asks for a SASL mechanism this check cannot use (${text}); allow scram-sha-256 or md5 for this user in pg_hba.conf`,
      unsupportedAuth: (method: string) =>
        `postgres: the server asks for ${method} authentication, which this check cannot do (allow scram-sha-256 or md5 for this user in pg_hba.conf)`,
      tlsFile: (why: string) => `cannot read a TLS file named in the URL: ${why}`,
      ok: (tls: boolean): string => (tls ? 'SELECT 1 OK (TLS)' : 'SELECT 1 OK'),
      on: (message: string, url: string, ms: number) => `${message} on ${url} (${ms} ms)`,
    },
    command: {
      notFound: (program: string) => `${program} not found`,
      notExecutable: (program: string) => `${program} is not executable`,
      stopped: (program: string) => `${program} stopped before it finished`,
      tooMuchOutput: (text: string, kib: number) => `${text} (output over ${kib} KiB, stopped)`,
      killedBy: (signal: string) => `killed by ${signal}`,
      exitCode: (code: number | string) => `exit code ${code}`,
      badExit: (text: string, how: string) => `${text} (${how}, expected 0-3)`,
    },
    /** What the engine says for a check that did not answer (src/engine/execute.ts). */
    engine: {
      /** `the run's deadline (60s, less 6s kept for alerts)`. */
      deadline: (deadline: string, reserve: string | undefined) =>
        `the run's deadline (${deadline}${reserve ? `, less ${reserve} kept for alerts` : ''})`,
      notStarted: (deadline: string) => `not started: ${deadline} passed first`,
      noAnswerByDeadline: (deadline: string) => `no answer before ${deadline}`,
      noAnswerWithin: (timeout: string) => `no answer within ${timeout} (timeout)`,
      checkFailed: (why: string) => `check failed: ${why}`,
    },
    log: {
      notFound: (path: string) => `log file not found: ${path}`,
      cannotRead: (path: string, why: string) => `cannot read ${path}: ${why}`,
      permissionDenied: 'permission denied (run as root, or make it readable)',
      notAFile: (path: string) => `${path} is not a regular file`,
      noTimestamps: (path: string, readMiB: number | undefined) =>
        `no line with a timestamp in a known format in ${path}${readMiB !== undefined ? ` (last ${readMiB} MiB read)` : ''}`,
      noTimestampsKnown: (path: string, formats: string) =>
        `no line with a timestamp in a known format in ${path} (known: ${formats})`,
      /** `3 lines matching /ERROR/ in the last 5m (warning at 1, critical at 5)`. */
      counted: (
        count: number,
        pattern: string,
        window: string,
        limits: { warning?: number | undefined; critical?: number | undefined } | undefined,
      ) =>
        `${count === 0 ? `no lines matching ${pattern}` : `${plural(count, 'line')} matching ${pattern}`} in the last ${window}${
          limits
            ? ` (${[limits.warning !== undefined ? `warning at ${limits.warning}` : '', limits.critical !== undefined ? `critical at ${limits.critical}` : ''].filter(Boolean).join(', ')})`
            : ''
        }`,
      where: (message: string, path: string, latest: string | undefined) =>
        `${message} in ${path}${latest ? `; latest: ${latest}` : ''}`,
    },
  },

  page: {
    state: { OK: 'Operational', WARNING: 'Degraded', CRITICAL: 'Down', UNKNOWN: 'Unknown' } as Record<Level, string>,
    banner: {
      OK: 'All systems operational',
      WARNING: 'Degraded performance',
      CRITICAL: 'Service disruption',
      UNKNOWN: 'Some checks could not tell',
    } as Record<Level, string>,
    title: (host: string, banner: string) => `${host} status: ${banner}`,
    affected: (name: string, state: string) => `${name}: ${state.toLowerCase()}`,
    allUp: (count: number) => `${plural(count, 'check')}, all up`,
    updated: 'Updated',
    checks: 'Checks',
    availability: 'Availability',
    day: '24 hours',
    week: '7 days',
    month: '30 days',
    target: (percent: string, met: boolean) => `Target ${percent}%: ${met ? 'met' : 'missed'} (30 days)`,
    noData: 'No data yet',
    noRun: 'no run',
    justNow: 'just now',
    ago: (duration: string) => `${duration} ago`,
    now: 'now',
    lastRuns: (count: number) => `last ${count} runs`,
    uptime: (day: string, week: string, month: string) => `24 h ${day} · 7 d ${week} · 30 d ${month}`,
    responseTime: (avg: string, p95: string, max: string) =>
      `Response time, last 24 h: avg ${avg} · p95 ${p95} · max ${max}`,
    incidents: 'Recent incidents',
    noIncidents: 'No incidents in the last 30 days.',
    ongoing: 'ongoing',
    /** HTML: `link` is the <a> to the JSON. */
    footer: (offset: string, link: string) =>
      `Times are the host's local time (UTC${offset}). Machine-readable: ${link}. Made by neuronova-health-check.`,
  },
};

/** Every language's catalogue has exactly this shape: a message missing from one is a compile error. */
export type Catalogue = typeof en;
