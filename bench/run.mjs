// `npm run bench`: times a healthy run side by side with bare Node, the old bash script, the Nagios-plugins variant and
// the Node floor on one fixture, then the scale, hang and report cases; prints figures, ratios and budgets met/missed.
//
//   node bench/run.mjs [--quick] [--no-build|--private-build] [--only default,ablation,scale,hang,report,config,serve,imports,timing]
//                      [--runs N] [--out FILE]
//                      [--timer node|hyperfine] [--also NAME=BIN.js ...]
// --also adds another build of the program (e.g. an esbuild variant under .bench-tmp/) to the default cycle, so two
// builds are compared in the same interleaved rounds.
//
// Full runs write bench/RESULTS.md (or --out FILE); --quick (fewer runs) and --only print without writing.
// Timing: interleaved rounds of spawnSync (default; fair when the host is busy) or hyperfine -N; both report medians.
// Peak memory is the OS's: /usr/bin/time -v "Maximum resident set size", median of several runs.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeFixture } from './fixture/configs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// By default the bench builds dist/ (scripts/build.mjs, swapped in whole) and times bin/neuronova-health-check.js as
// installed. --private-build builds into .bench-tmp/build/ instead, so another engineer rebuilding dist/ meanwhile
// cannot swap files under a run; --no-build times bin/ and dist/ as they are.
const BUILD = join(ROOT, '.bench-tmp', 'build');
const FAKE_BIN = join(ROOT, 'bench', 'fixture', 'bin');
const MiB = 1024 * 1024;

// ---- arguments -------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const QUICK = flag('--quick');
const ONLY = value('--only')?.split(',');
const RUNS = Number(value('--runs') ?? (QUICK ? 10 : 30));
const WARMUP = QUICK ? 2 : 3;
const RSS_RUNS = QUICK ? 3 : 7;
const OUT = value('--out') ?? (QUICK || ONLY ? undefined : join(ROOT, 'bench', 'RESULTS.md'));
const wanted = (section) => !ONLY || ONLY.includes(section);
const PRIVATE = flag('--private-build');
const ALSO = argv.flatMap((arg, i) => (argv[i - 1] === '--also' ? [arg.split('=')] : []));

const have = (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const TIMER = value('--timer') ?? 'node';
if (TIMER === 'hyperfine' && !have('hyperfine'))
  throw new Error('--timer hyperfine: hyperfine is not installed (apt-get install hyperfine)');
const TIME = existsSync('/usr/bin/time');

// ---- output ----------------------------------------------------------------------------------------------------
const out = [];
const say = (line = '') => {
  out.push(line);
  process.stdout.write(line + '\n');
};
const progress = (text) => process.stderr.write(`bench: ${text}\n`);
const ms = (x) => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mib = (bytes) => (bytes === undefined ? '—' : (bytes / MiB).toFixed(1));
const signed = (x) => (x >= 0 ? `+${ms(x)}` : `−${ms(-x)}`);
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
const budgets = [];
const budget = (what, figure, limit, unit) => {
  const met = figure !== undefined && figure <= limit;
  const show = (x) => (unit === 'MiB' ? mib(x) : unit === 'ms' ? ms(x) : String(x));
  budgets.push({
    what,
    figure: figure === undefined ? 'not measured' : `${show(figure)} ${unit}`,
    limit: `${show(limit)} ${unit}`,
    met: figure === undefined ? 'not measured' : met ? 'met' : '**MISSED**',
  });
};

// ---- timing ----------------------------------------------------------------------------------------------------
function quoteForHyperfine(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * CPU time (user + system, ms) of every child this process has waited for, from /proc/self/stat (cutime, cstime).
 * The kernel reports it in 10 ms ticks, so one run's figure is coarse; the mean over many runs is not. CPU time is
 * what a busy host disturbs least, so it tells two builds apart when wall times are noisy.
 */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function stats(samples) {
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const mid = samples.length >> 1;
  return {
    median: samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2,
    mean,
    stddev: Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, samples.length - 1)),
    min: samples[0],
    max: samples.at(-1),
  };
}

/**
 * Time each command; returns {name: {median, mean, stddev, min, max}} in ms.
 *
 * The default timer interleaves: each round runs every command once, in a fresh random order, so a burst of load
 * from elsewhere on the host (other builds, tests) lands on all of them alike and the ratios stay fair. hyperfine
 * (`--timer hyperfine`) runs all of one command's runs before the next, which is finer per command but lets such a
 * burst fall on one of them.
 * @param {{name: string, argv: string[]}[]} commands
 */
function time(commands, { runs = RUNS, warmup = WARMUP, env = process.env, allowFailure = false } = {}) {
  const results = {};
  if (TIMER === 'hyperfine') {
    const exportFile = join(tmpdir(), `nn-bench-${process.pid}.json`);
    const args = [
      '-N',
      '--style',
      'none',
      '--warmup',
      String(warmup),
      '--runs',
      String(runs),
      '--export-json',
      exportFile,
    ];
    if (allowFailure) args.push('-i');
    for (const command of commands) args.push('-n', command.name, command.argv.map(quoteForHyperfine).join(' '));
    const run = spawnSync('hyperfine', args, { env, cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`hyperfine failed: ${run.stderr || run.stdout}`);
    for (const r of JSON.parse(readFileSync(exportFile, 'utf8')).results) {
      results[r.command] = {
        median: r.median * 1000,
        mean: r.mean * 1000,
        stddev: (r.stddev ?? 0) * 1000,
        min: r.min * 1000,
        max: r.max * 1000,
      };
    }
    rmSync(exportFile, { force: true });
    return results;
  }
  const samples = Object.fromEntries(commands.map((c) => [c.name, []]));
  const cpu = Object.fromEntries(commands.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    const order = [...commands].sort(() => Math.random() - 0.5);
    for (const command of order) {
      const cpuBefore = childrenCpuMs();
      const started = performance.now();
      const run = spawnSync(command.argv[0], command.argv.slice(1), { env, cwd: ROOT, stdio: 'ignore' });
      const took = performance.now() - started;
      if (run.status !== 0 && !allowFailure) throw new Error(`${command.name} exited ${run.status}`);
      if (round >= warmup) {
        samples[command.name].push(took);
        cpu[command.name].push(childrenCpuMs() - cpuBefore);
      }
    }
  }
  for (const command of commands) {
    const list = cpu[command.name];
    results[command.name] = { ...stats(samples[command.name]), cpu: list.reduce((a, b) => a + b, 0) / list.length };
  }
  return results;
}

/** Peak resident memory in bytes (median over RSS_RUNS runs), as /usr/bin/time -v reports it. */
function peakRss(command, env = process.env) {
  if (!TIME) return undefined;
  const samples = [];
  for (let i = 0; i < RSS_RUNS; i++) {
    const run = spawnSync('/usr/bin/time', ['-v', ...command.argv], { env, cwd: ROOT, encoding: 'utf8' });
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
    if (kb) samples.push(Number(kb) * 1024);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Run once and return {status, stdout, stderr}: checks that a command does what it is timed for before timing it. */
function once(command, env = process.env) {
  return spawnSync(command.argv[0], command.argv.slice(1), { env, cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MiB });
}

function table(rows, columns) {
  say(`| ${columns.map((c) => c[0]).join(' | ')} |`);
  say(`|${columns.map((c) => (c[2] === 'left' ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const row of rows) say(`| ${columns.map((c) => c[1](row)).join(' | ')} |`);
}

// ---- fixture ---------------------------------------------------------------------------------------------------
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'fixture', 'server.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ports: JSON.parse(line) }));
  });
}

/** A copy of `config` with its own state_dir and log_file (suffixed with `tag`), next to it. */
function ownCopy(config, tag) {
  const copy = config.replace(/\.yml$/, `-${tag}.yml`);
  const yaml = readFileSync(config, 'utf8');
  writeFileSync(
    copy,
    yaml
      .replace(/^state_dir: (.*)$/m, `state_dir: $1-${tag}`)
      .replace(/^log_file: (.*)\.log$/m, `log_file: $1-${tag}.log`),
  );
  return copy;
}

function git(...args) {
  const run = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

// ---- main ------------------------------------------------------------------------------------------------------
let BIN = join(ROOT, 'bin', 'neuronova-health-check.js');
let META;
if (!flag('--no-build')) {
  mkdirSync(BUILD, { recursive: true });
  META = join(BUILD, 'meta.json');
  const outdir = PRIVATE ? join(BUILD, 'dist') : join(ROOT, 'dist');
  progress(`building the current sources into ${relative(ROOT, outdir)} (node scripts/build.mjs)`);
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'build.mjs'), '--outdir', outdir, '--metafile', META],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) process.exit(1);
  if (PRIVATE) {
    // bin/ and package.json as installed: the program finds its version and example config next to itself.
    mkdirSync(join(BUILD, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'neuronova-health-check.js'), join(BUILD, 'bin', 'neuronova-health-check.js'));
    copyFileSync(join(ROOT, 'package.json'), join(BUILD, 'package.json'));
    BIN = join(BUILD, 'bin', 'neuronova-health-check.js');
  }
}

const dir = mkdtempSync(join(tmpdir(), 'nn-bench-'));
const server = await startServer();
const fixture = writeFixture(dir, server.ports);
// The fixture's environment: the fake systemctl first on PATH, no alert channels from the caller's environment.
const env = {
  ...process.env,
  PATH: `${FAKE_BIN}:${process.env.PATH}`,
  LOG_FILE: join(dir, 'bash.log'),
  ...fixture.env,
};
for (const key of ['ALERT_EMAIL', 'SLACK_WEBHOOK', 'NEURONOVA_HEALTH_CONFIG', 'FAKE_SYSTEMCTL_HANG', 'NODE_OPTIONS'])
  delete env[key];
const program = (config, ...more) => ({
  name: 'neuronova-health-check',
  argv: [process.execPath, BIN, '--quiet', '--config', config, ...more],
});

let exitCode = 0;
try {
  const commit = git('rev-parse', '--short', 'HEAD') ?? 'unknown';
  const dirty = git('status', '--porcelain')?.split('\n').filter(Boolean).length ?? 0;
  const timer =
    TIMER === 'hyperfine'
      ? `${spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).stdout.trim()} (-N)`
      : 'interleaved Node spawnSync rounds (random order per round)';
  say('# Bench results');
  say();
  say(`- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
  say(
    `- machine: nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}`,
  );
  say(
    `- commit: ${commit}${dirty ? ` (+ ${dirty} uncommitted file${dirty === 1 ? '' : 's'} in the working tree)` : ''}`,
  );
  say(
    `- timer: ${timer}, ${RUNS} runs after ${WARMUP} warm-up, medians; peak RSS from /usr/bin/time -v, median of ${RSS_RUNS}`,
  );
  say(`- command: \`npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}\``);
  // Other work on the host shows up in every figure; the load average says how much there was.
  say(`- host load average (1 min) at start: ${loadavg()[0].toFixed(2)}`);
  say();

  // -- 1. the healthy default cycle, side by side ------------------------------------------------------------
  if (wanted('default')) {
    progress('healthy default cycle');
    const commands = [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      { name: 'bash script', argv: ['bash', join(ROOT, 'bench', 'baseline', 'health_check.sh')] },
      { name: 'bash + Nagios plugins', argv: ['bash', join(ROOT, 'bench', 'baseline', 'health_check_plugins.sh')] },
      { name: 'Node floor', argv: [process.execPath, join(ROOT, 'bench', 'floor.mjs'), fixture.floor] },
      program(fixture.default),
      { ...program(fixture.defaultKo), name: 'neuronova-health-check, language: ko' },
      // Each other build gets its own copy of the config, state and log: a shared config cache would be invalidated
      // by the other build's id on every run, and both would validate their config each time.
      ...ALSO.map(([name, bin], index) => ({
        name,
        argv: [process.execPath, bin, '--quiet', '--config', ownCopy(fixture.default, `also-${index}`)],
      })),
    ];
    for (const command of commands) {
      const run = once(command, env);
      if (run.status !== 0)
        throw new Error(`${command.name} is not healthy on the fixture (exit ${run.status}): ${run.stderr}`);
    }
    const log = readFileSync(join(dir, 'default.log'), 'utf8');
    if (!/Health check finished: OK \(8 ok\)/.test(log)) throw new Error(`the program's run was not OK:\n${log}`);
    const logKo = readFileSync(join(dir, 'default-ko.log'), 'utf8');
    if (!/헬스 체크 완료: OK \(정상 8,/.test(logKo))
      throw new Error(`the program's Korean run was not OK, or not in Korean:\n${logKo}`);
    // The run above validated the config and cached it; the timed runs are cron's usual case: an unchanged config.
    const cached = existsSync(join(dir, 'default-state', 'config-cache.json'));

    const t = time(commands, { env });
    const rss = Object.fromEntries(commands.map((c) => [c.name, peakRss(c, env)]));
    const bare = t['node -e 0'].median;
    const bash = t['bash script'].median;
    say('## Healthy default cycle');
    say();
    say(
      '8 checks as in the built-in config: 3 × systemd (fake `systemctl` printing real `systemctl show` output), 2 × http',
    );
    say('(local endpoints answering in 100 ms), disk, memory, cpu; log and state in a temp dir. All exit 0.');
    say();
    table(commands, [
      ['command', (c) => c.name, 'left'],
      ['median ms', (c) => ms(t[c.name].median)],
      ['mean ± sd ms', (c) => `${ms(t[c.name].mean)} ± ${ms(t[c.name].stddev)}`],
      ['min–max ms', (c) => `${ms(t[c.name].min)}–${ms(t[c.name].max)}`],
      ['CPU ms (mean)', (c) => ms(t[c.name].cpu)],
      ['peak RSS MiB', (c) => mib(rss[c.name])],
      ['× node -e 0', (c) => ratio(t[c.name].median, bare)],
      ['× bash script', (c) => ratio(t[c.name].median, bash)],
      ['over node -e 0', (c) => `${signed(t[c.name].median - bare)} ms`],
    ]);
    say();
    const mine = t['neuronova-health-check'].median;
    const floor = t['Node floor'].median;
    say(
      cached
        ? 'The config was validated once before timing and cached (state_dir/config-cache.json), as after any change to it.'
        : '**The config was not cached** (no state_dir/config-cache.json): every timed run validated it.',
    );
    say();
    say(
      `This program: ${ratio(mine, bash)} the bash script, ${ratio(mine, t['bash + Nagios plugins'].median)} the plugins variant, ${ratio(mine, floor)} the Node floor, ${ratio(mine, bare)} bare \`node -e 0\`.`,
    );
    say();
    budget('healthy default cycle ≤ bash script', mine, bash, 'ms');
    budget('healthy default cycle ≤ 1.15 × Node floor', mine, 1.15 * floor, 'ms');
    budget('peak RSS of the healthy cycle ≤ 64 MiB', rss['neuronova-health-check'], 64 * MiB, 'MiB');
    // Korean is imported only when asked for (src/i18n/index.ts): it may cost its own import, nothing more.
    const ko = t['neuronova-health-check, language: ko'].median;
    say(
      `With \`language: ko\`: ${signed(ko - mine)} ms against English (median), ${signed(t['neuronova-health-check, language: ko'].cpu - t['neuronova-health-check'].cpu)} ms CPU.`,
    );
    say();
    budget('healthy default cycle with language: ko ≤ English + 5 ms', ko, mine + 5, 'ms');
  }

  // -- 1b. what a healthy run loads ----------------------------------------------------------------------------
  if (wanted('default')) {
    progress('files a healthy run loads');
    const list = join(dir, 'loaded.txt');
    const run = once(
      {
        argv: [
          process.execPath,
          '--import',
          join(ROOT, 'bench', 'tools', 'loaded.mjs'),
          BIN,
          '--quiet',
          '--config',
          fixture.default,
        ],
      },
      { ...env, BENCH_LOADED_LOG: list },
    );
    if (run.status !== 0) throw new Error(`the loaded-files run failed (exit ${run.status}): ${run.stderr}`);
    const files = readFileSync(list, 'utf8')
      .trim()
      .split('\n')
      .map((url) => fileURLToPath(url));
    const ours = files.filter((file) => !file.includes('/node_modules/'));
    const bytes = ours.reduce((sum, file) => sum + statSync(file).size, 0);
    const unbundled = [
      ...new Set(
        files
          .filter((file) => file.includes('/node_modules/'))
          .map((file) => file.split('/node_modules/').pop().split('/')[0]),
      ),
    ];
    // Which packages the loaded chunks hold, from esbuild's metafile (chunk → inputs).
    const packages = new Set();
    if (META) {
      const meta = JSON.parse(readFileSync(META, 'utf8'));
      const loaded = new Set(ours.map((file) => basename(file)));
      for (const [output, info] of Object.entries(meta.outputs)) {
        if (!loaded.has(basename(output))) continue;
        for (const input of Object.keys(info.inputs)) {
          const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
          if (match) packages.add(match[1]);
        }
      }
    }
    const heavy = ['zod', 'yaml', ...unbundled].filter((name) => packages.has(name) || unbundled.includes(name));
    say('### What a healthy run loads');
    say();
    say(
      `${ours.length} files of the program, ${(bytes / 1024).toFixed(0)} KiB of JavaScript (minified), bundled packages in them: ${[...packages].sort().join(', ') || 'none'}; packages loaded from node_modules: ${unbundled.join(', ') || 'none'}.`,
    );
    say();
    budget('a healthy cached run loads no zod, no yaml, nothing from node_modules', heavy.length, 0, 'packages');
  }

  // -- 1c. what each start-up choice is worth ----------------------------------------------------------------
  if (ONLY?.includes('ablation') || (!ONLY && !QUICK)) {
    progress('ablation: building one variant per start-up choice');
    // Each variant is the same sources built with one choice undone (scripts/build.mjs flags), timed in the same
    // interleaved rounds; each has its own state_dir, so one's config cache never evicts another's.
    const variants = [
      ['as built', []],
      ['not minified', ['--no-minify']],
      ['zod translations kept', ['--keep-zod-locales']],
      ['zod loaded at start (no lazy zod)', ['--no-lazy-zod']],
      ['config validated every run (no cache)', ['--no-config-cache']],
      ['no watchdog thread (docs/reliability.md)', ['--no-watchdog']],
      ['all of the above undone', ['--no-minify', '--keep-zod-locales', '--no-lazy-zod', '--no-config-cache']],
    ];
    const commands = [
      { name: 'Node floor', argv: [process.execPath, join(ROOT, 'bench', 'floor.mjs'), fixture.floor] },
    ];
    const defaultYaml = readFileSync(fixture.default, 'utf8');
    for (const [index, [name, flags]] of variants.entries()) {
      const root = join(BUILD, 'ablation', String(index));
      rmSync(root, { recursive: true, force: true });
      mkdirSync(join(root, 'bin'), { recursive: true });
      const built = spawnSync(
        process.execPath,
        [join(ROOT, 'scripts', 'build.mjs'), '--outdir', join(root, 'dist'), ...flags],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (built.status !== 0) throw new Error(`build ${flags.join(' ')} failed: ${built.stderr}`);
      copyFileSync(join(ROOT, 'bin', 'neuronova-health-check.js'), join(root, 'bin', 'neuronova-health-check.js'));
      copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
      const config = join(dir, `ablation-${index}.yml`);
      writeFileSync(
        config,
        defaultYaml
          .replace(/^state_dir: .*$/m, `state_dir: ${join(dir, `ablation-${index}-state`)}`)
          .replace(/^log_file: .*$/m, `log_file: ${join(dir, `ablation-${index}.log`)}`),
      );
      commands.push({
        name,
        argv: [process.execPath, join(root, 'bin', 'neuronova-health-check.js'), '--quiet', '--config', config],
      });
      if (index === 0) {
        commands.push({
          name: 'as built, argv through commander',
          argv: [
            process.execPath,
            join(root, 'bin', 'neuronova-health-check.js'),
            '--quiet',
            'run',
            '--config',
            config,
          ],
        });
      }
    }
    for (const command of commands) {
      const run = once(command, env);
      if (run.status !== 0) throw new Error(`${command.name}: exit ${run.status}: ${run.stderr}`);
    }
    progress('ablation: timing');
    const t = time(commands, { env });
    const rss = Object.fromEntries(commands.map((c) => [c.name, peakRss(c, env)]));
    const base = t['as built'];
    say('### What each start-up choice is worth');
    say();
    say(
      'The same sources built with one choice undone (scripts/build.mjs flags), the healthy default cycle, interleaved rounds.',
    );
    say('`--quiet run --config F` is not one of the plain forms src/cli-fast.ts takes, so commander parses it.');
    say();
    table(commands, [
      ['build', (c) => c.name, 'left'],
      ['median ms', (c) => ms(t[c.name].median)],
      ['vs as built', (c) => (c.name === 'as built' ? '—' : `${signed(t[c.name].median - base.median)} ms`)],
      ['CPU ms (mean)', (c) => ms(t[c.name].cpu)],
      [
        'CPU vs as built',
        (c) => (c.name === 'as built' || t[c.name].cpu === undefined ? '—' : `${signed(t[c.name].cpu - base.cpu)} ms`),
      ],
      ['peak RSS MiB', (c) => mib(rss[c.name])],
    ]);
    say();
  }

  // -- 2. scale: 200 and 1,000 endpoints answering in 100 ms ------------------------------------------------
  if (wanted('scale')) {
    progress('scale: 200 and 1,000 http checks');
    const rows = [];
    for (const n of [200, 1000]) {
      const command = { ...program(fixture[`scale${n}`]), name: `${n} endpoints` };
      const check = once(
        { ...command, argv: [process.execPath, BIN, '--json', '--config', fixture[`scale${n}`]] },
        env,
      );
      const report = check.stdout ? JSON.parse(check.stdout) : undefined;
      if (check.status !== 0 || report?.summary?.ok !== n)
        throw new Error(`scale ${n}: not all OK (exit ${check.status}): ${check.stderr}`);
      const t = time([command], { env, runs: QUICK ? 5 : 15 })[command.name];
      rows.push({ n, t, rss: peakRss(command, env) });
      budget(
        `${n} http endpoints (100 ms each), whole run ≤ ${n === 200 ? '500 ms' : '1.5 s'}`,
        t.median,
        n === 200 ? 500 : 1500,
        'ms',
      );
    }
    say('## Scale: many HTTP endpoints answering in 100 ms');
    say();
    say("One http check per endpoint, every other setting as the config's defaults (`concurrency` included); exit 0.");
    say();
    table(rows, [
      ['endpoints', (r) => String(r.n), 'left'],
      ['median ms', (r) => ms(r.t.median)],
      ['mean ± sd ms', (r) => `${ms(r.t.mean)} ± ${ms(r.t.stddev)}`],
      ['min–max ms', (r) => `${ms(r.t.min)}–${ms(r.t.max)}`],
      ['peak RSS MiB', (r) => mib(r.rss)],
    ]);
    say();
  }

  // -- 3. every check hangs: the run must end at its deadline -----------------------------------------------
  if (wanted('hang')) {
    progress('hang: every check hangs, deadline 2 s');
    const hangEnv = { ...env, FAKE_SYSTEMCTL_HANG: '1' };
    const command = { ...program(fixture.hang), name: 'all checks hang' };
    const check = once({ ...command, argv: [process.execPath, BIN, '--json', '--config', fixture.hang] }, hangEnv);
    const report = check.stdout ? JSON.parse(check.stdout) : undefined;
    if (report?.summary.ok !== 0)
      throw new Error(`hang case: unexpected result (exit ${check.status}): ${check.stderr}`);
    const t = time([command], { env: hangEnv, runs: QUICK ? 3 : 7, warmup: 1, allowFailure: true })[command.name];
    const deadline = fixture.hangDeadlineMs;
    say('## Deadline: every check hangs');
    say();
    say(
      `2 × http to an endpoint that never answers, 2 × systemd whose \`systemctl\` never exits, 1 × command \`sleep 60\`;`,
    );
    say(
      `per-check timeout as long as the deadline (the most a config may give), \`deadline: ${deadline}ms\`. Whole process, start to exit (exit ${check.status}, ${report.summary.critical} CRITICAL, ${report.summary.unknown} UNKNOWN).`,
    );
    say();
    say(
      `| median ms | min–max ms | over the deadline |\n| ---: | ---: | ---: |\n| ${ms(t.median)} | ${ms(t.min)}–${ms(t.max)} | +${ms(t.median - deadline)} ms |`,
    );
    out.push('');
    process.stdout.write('\n');
    budget('all checks hang: exit ≤ deadline + 200 ms', t.median, deadline + 200, 'ms');
  }

  // -- 4. report --since 90d over 90 days × 20 checks ---------------------------------------------------------
  if (wanted('report')) {
    progress('report --since 90d: writing 90 days × 20 checks of history');
    say('## `report --since 90d` over 90 days × 20 checks');
    say();
    // History in the program's own format, written by its own encoder (src/history through tsx).
    const made = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'fixture', 'history.mjs'), join(dir, 'report-90d')],
      { cwd: ROOT, encoding: 'utf8', env },
    );
    if (made.status !== 0) throw new Error(`bench/fixture/history.mjs failed: ${made.stderr}`);
    const history = JSON.parse(made.stdout.trim().split('\n').at(-1));
    const command = {
      name: 'report --since 90d',
      argv: [process.execPath, BIN, 'report', '--since', '90d', '--config', history.config],
    };
    const json = once({ ...command, argv: [...command.argv, '--json'] }, env);
    if (json.status !== 0) throw new Error(`report failed (exit ${json.status}): ${json.stderr}`);
    progress('report --since 90d: timing');
    const t = time([command], { env, runs: QUICK ? 5 : 10, warmup: 1 })[command.name];
    const rss = peakRss(command, env);
    say(
      `${history.runs.toLocaleString('en')} runs × 20 checks = ${history.results.toLocaleString('en')} results, ${(history.bytes / 1e6).toFixed(1)} MB of history (written by src/history's encoder, the mix of bench/report-90d.mjs); terminal output; whole process.`,
    );
    say();
    say(
      `| median ms | min–max ms | CPU ms (mean) | peak RSS MiB |\n| ---: | ---: | ---: | ---: |\n| ${ms(t.median)} | ${ms(t.min)}–${ms(t.max)} | ${ms(t.cpu)} | ${mib(rss)} |`,
    );
    say();
    budget('report --since 90d over 90 days × 20 checks ≤ 1 s', t.median, 1000, 'ms');
  }

  // -- 4b. config validation at the limit: 5,000 checks ----------------------------------------------------------
  if (wanted('config')) {
    progress('config: validating 5,000 checks');
    const commands = [
      {
        name: 'config check, 5,000 checks',
        argv: [process.execPath, BIN, 'config', 'check', '--config', fixture.limit5000],
      },
      {
        name: 'config check, default set',
        argv: [process.execPath, BIN, 'config', 'check', '--config', fixture.default],
      },
    ];
    for (const command of commands) {
      const run = once(command, env);
      if (run.status !== 0) throw new Error(`${command.name}: exit ${run.status}: ${run.stderr}`);
    }
    const t = time(commands, { env, runs: QUICK ? 3 : 10, warmup: 1 });
    say('## Config validation at the limit');
    say();
    say(
      '`config check` (YAML, schema, names, depends_on cycles, bounds) of a 5,000-check file against the default set; whole process.',
    );
    say();
    table(commands, [
      ['config', (c) => c.name, 'left'],
      ['median ms', (c) => ms(t[c.name].median)],
      ['min–max ms', (c) => `${ms(t[c.name].min)}–${ms(t[c.name].max)}`],
    ]);
    say();
    budget('config check of 5,000 checks ≤ 1 s', t[commands[0].name].median, 1000, 'ms');
  }

  // -- 4c. serve: the health API under load --------------------------------------------------------------------
  if (wanted('serve')) {
    progress('serve: /api/health/ under 32 keep-alive connections, then 100,000 requests for memory');
    const { serveBench, serveLines } = await import('./serve.mjs');
    const result = await serveBench({ quick: QUICK, bin: BIN, progress });
    say('## `serve`: /api/health/ under load (bench/serve.mjs)');
    say();
    for (const line of serveLines(result)) say(line);
    say();
    const bare = result.servers['bare node:http'];
    budget(
      'serve /api/health/: bare node:http ÷ serve throughput ≤ 2 (serve ≥ 0.5×)',
      Number((bare.rps / result.servers.serve.rps).toFixed(2)),
      2,
      '×',
    );
    budget(
      `serve peak RSS after ${result.memory.end.requests.toLocaleString('en')} requests ≤ 100 MiB`,
      result.memory.end.peak,
      100 * MiB,
      'MiB',
    );
    budget(
      `serve RSS growth from ${result.memory.early.requests.toLocaleString('en')} to ${result.memory.end.requests.toLocaleString('en')} requests ≤ 5 MiB (flat)`,
      Math.max(0, result.memory.end.rss - result.memory.early.rss),
      5 * MiB,
      'MiB',
    );
  }

  // -- 5. what each dependency costs to import ------------------------------------------------------------------
  if (wanted('imports')) {
    progress('import cost per package');
    const pkgs = [
      'chalk',
      'commander',
      'yaml',
      'zod',
      'zod/mini',
      'pino',
      'pino-roll',
      'systeminformation',
      'nodemailer',
      'undici',
      'execa',
      'pg',
      'redis',
    ];
    const importOf = (spec) => [process.execPath, '--input-type=module', '-e', spec ? `await import('${spec}')` : '0'];
    const commands = [
      { name: '(none)', argv: importOf(undefined) },
      ...pkgs.map((p) => ({ name: p, argv: importOf(p) })),
    ];
    commands.push({ name: 'dist: cli --version', argv: [process.execPath, BIN, '--version'] });
    const t = time(commands, { env, runs: QUICK ? 5 : 15, warmup: 2 });
    const rss = Object.fromEntries(commands.map((c) => [c.name, peakRss(c, env)]));
    const base = t['(none)'].median;
    say('## Import cost of each dependency');
    say();
    say(
      '`node --input-type=module -e "await import(PKG)"` from node_modules (unbundled) against the same with nothing imported.',
    );
    say();
    table(commands, [
      ['import', (c) => c.name, 'left'],
      ['median ms', (c) => ms(t[c.name].median)],
      ['cost ms', (c) => (c.name === '(none)' ? '—' : signed(t[c.name].median - base))],
      ['peak RSS MiB', (c) => mib(rss[c.name])],
    ]);
    say();
  }

  // -- 6. response times: what the program adds to the peer's time, and the probe worker's cost --------------------
  if (wanted('timing')) {
    progress('response-time overhead per type (bench/response-time-overhead.mjs)');
    const summaryFile = join(dir, 'timing.json');
    const child = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bench', 'response-time-overhead.mjs'),
        '--runs',
        String(QUICK ? 5 : 30),
        '--bin',
        BIN,
        '--json',
        summaryFile,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (child.status !== 0) throw new Error(`bench/response-time-overhead.mjs exited ${child.status}`);
    for (const line of child.stdout.trimEnd().split('\n')) say(line);
    say();
    // Issue 17's bound: each type's reported time within 2 ms + 20 % of its reference tool (docs/checks-timing.md).
    for (const [kind, m] of Object.entries(JSON.parse(readFileSync(summaryFile, 'utf8')))) {
      budget(
        `${kind}: reported − reference ≤ 2 ms + 20 % of the reference`,
        Math.abs(m.overhead),
        2 + 0.2 * m.reference,
        'ms',
      );
    }
  }

  say(`- host load average (1 min) at the end: ${loadavg()[0].toFixed(2)}`);
  say();
  say('## Budgets');
  say();
  table(budgets, [
    ['budget', (b) => b.what, 'left'],
    ['figure', (b) => b.figure],
    ['limit', (b) => b.limit],
    ['', (b) => b.met, 'left'],
  ]);
  if (budgets.some((b) => b.met === '**MISSED**')) exitCode = 1;
  if (OUT) {
    // Only the part between the markers is the bench's; notes written around it by hand are kept.
    const START = '<!-- bench:start -->';
    const END = '<!-- bench:end -->';
    const body = `${START}\n${out.join('\n')}\n${END}`;
    const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    const kept = previous.includes(START) && previous.includes(END);
    writeFileSync(
      OUT,
      kept
        ? previous.slice(0, previous.indexOf(START)) + body + previous.slice(previous.indexOf(END) + END.length)
        : body + '\n',
    );
    progress(`written to ${OUT}`);
  }
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n`);
  exitCode = 2;
} finally {
  server.child.stdin.end();
  server.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
