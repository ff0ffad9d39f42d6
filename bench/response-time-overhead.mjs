// Benchmark: what the program adds to a peer's response time, per check type (issue 17, docs/checks-timing.md), and
// what running the datastore clients in a worker thread costs a run (docs/checks-timing.md, "Where the datastore clients run").
//
//   node bench/response-time-overhead.mjs [--runs N] [--bin BIN.js] [--before REF] [--json FILE]
//
// 1. Local peers that answer in about a millisecond: an instant node:http server, a TCP listener, redis-server and
//    PostgreSQL (started by test/helpers, skipped with a note when not installed). Each round measures the reference
//    tools (curl `time_total`, a raw connect, a warm `redis-cli --latency`, a warm node pg connect + SELECT 1), then a
//    fresh process of the built binary with one check of each type; the table gives, per type, the medians over the
//    rounds and the median of (reported − reference).
// 2. One redis check, this build against REF (default: the commit before the probe worker came, where the client ran
//    in the main thread): whole-process wall time, CPU and peak RSS, interleaved rounds.
// Prints Markdown; --json FILE also writes the per-type medians for bench/run.mjs, which includes this in `npm run bench`
// (section "timing") and turns them into budgets.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { median, curlTotalMs, rawConnectMs, redisCliLatencyMs, pgSelectOneMs } = await import(
  './tools/reference-times.ts'
);
const { startRedis, REDIS_SERVER } = await import('../test/helpers/redis-server.ts');
const { startPostgres, postgresSkip } = await import('../test/helpers/postgres-server.ts');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', 30));
const BIN = option('--bin', join(ROOT, 'bin', 'neuronova-health-check.js'));
const run = promisify(execFile);
const PASSWORD = 'Bench-Timing-77';
const say = (line = '') => process.stdout.write(`${line}\n`);
const f = (x) => (x === undefined ? '—' : x.toFixed(2));
const progress = (text) => process.stderr.write(`bench: ${text}\n`);

const dir = mkdtempSync(join(tmpdir(), 'nn-bench-timing-'));
const stops = [];
try {
  // ---- peers ------------------------------------------------------------------------------------------------------
  const http = createHttpServer((_, response) => response.end('{"status":"ok"}'));
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => http.close(resolve)));
  const listener = createServer((socket) => socket.destroy());
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => listener.close(resolve)));
  const httpUrl = `http://127.0.0.1:${http.address().port}/health`;
  const tcpPort = listener.address().port;

  const redis = REDIS_SERVER ? await startRedis({ password: PASSWORD }) : undefined;
  if (redis) stops.push(() => redis.stop());
  const postgres = postgresSkip ? undefined : await startPostgres({ user: 'app', password: PASSWORD, database: 'app' });
  if (postgres) stops.push(() => postgres.stop());
  const pgUrl = postgres && `postgres://app:${PASSWORD}@127.0.0.1:${postgres.port}/app?sslmode=disable`;
  const pg = postgres && (await import('pg')).default;

  const checks = [
    `  - { name: http, type: http, url: "${httpUrl}" }`,
    `  - { name: tcp, type: tcp, host: 127.0.0.1, port: ${tcpPort} }`,
    ...(redis ? [`  - { name: redis, type: redis, url: "redis://:${PASSWORD}@127.0.0.1:${redis.port}/0" }`] : []),
    ...(postgres ? [`  - { name: postgres, type: postgres, url: "${pgUrl}" }`] : []),
  ];
  const config = join(dir, 'timing.yml');
  writeFileSync(
    config,
    `log_file: ${join(dir, 'timing.log')}\nstate_dir: ${join(dir, 'state')}\nchecks:\n${checks.join('\n')}\n`,
  );

  // ---- 1. reported minus reference ---------------------------------------------------------------------------------
  const kinds = ['http', 'tcp', ...(redis ? ['redis'] : []), ...(postgres ? ['postgres'] : [])];
  const reference = Object.fromEntries(kinds.map((k) => [k, []]));
  const reported = Object.fromEntries(kinds.map((k) => [k, []]));
  // Warm the references (a first pg connect, a first curl) before anything is counted.
  await curlTotalMs(httpUrl);
  if (pg) await pgSelectOneMs(pg, pgUrl);
  await run(process.execPath, [BIN, '--config', config, '--json', '--no-alert']).catch(() => undefined);
  for (let round = 0; round < RUNS; round++) {
    progress(`response-time overhead: round ${round + 1}/${RUNS}`);
    reference.http.push(await curlTotalMs(httpUrl));
    reference.tcp.push(await rawConnectMs(tcpPort));
    if (redis) reference.redis.push(redisCliLatencyMs(redis.port, PASSWORD, 0.2));
    if (pg) reference.postgres.push(await pgSelectOneMs(pg, pgUrl));
    // Async, so the http server and listener in this process keep answering while the binary runs.
    const { stdout } = await run(process.execPath, [BIN, '--config', config, '--json', '--no-alert'], {
      maxBuffer: 1 << 20,
    }).catch((error) => error);
    const services = JSON.parse(stdout).services;
    for (const kind of kinds) reported[kind].push(services[kind]?.response_time_ms ?? NaN);
  }
  const covers = {
    http: 'DNS + connect + request + whole body (curl `time_total`)',
    tcp: 'connect (a raw node connect)',
    redis: 'connect + HELLO/AUTH/SELECT + PING (`redis-cli --latency`: PING only)',
    postgres: 'connect + auth + SELECT 1 (warm node pg, same)',
  };
  say('## Response time: reported minus reference');
  say();
  say(
    `Local peers answering in about a millisecond; ${RUNS} rounds, each: the reference tools, then one fresh process of`,
  );
  say('the built binary with one check of each type started together. Medians; "overhead" is the median of the');
  say('per-round differences. What each time covers: docs/checks-timing.md.');
  say();
  say('| type | reference ms | reported ms | overhead ms | what both measure |');
  say('| --- | ---: | ---: | ---: | --- |');
  const summary = {};
  for (const kind of kinds) {
    const diffs = reported[kind].map((r, i) => r - reference[kind][i]);
    summary[kind] = { reference: median(reference[kind]), reported: median(reported[kind]), overhead: median(diffs) };
    say(
      `| ${kind} | ${f(summary[kind].reference)} | ${f(summary[kind].reported)} | ${f(summary[kind].overhead)} | ${covers[kind]} |`,
    );
  }
  if (option('--json', undefined)) writeFileSync(option('--json', undefined), JSON.stringify(summary));
  if (!redis || !postgres)
    say(
      `\n(${[!redis && 'redis-server', !postgres && 'PostgreSQL'].filter(Boolean).join(' and ')} not installed: not measured.)`,
    );
  say();

  // ---- 2. what the worker costs a run -------------------------------------------------------------------------------
  const before = redis && buildBefore(option('--before', undefined));
  if (before) {
    const one = join(dir, 'one-redis.yml');
    writeFileSync(
      one,
      `log_file: ${join(dir, 'one.log')}\nstate_dir: ${join(dir, 'one-state')}\nchecks:\n  - { name: redis, type: redis, url: "redis://:${PASSWORD}@127.0.0.1:${redis.port}/0" }\n`,
    );
    const commands = { 'probe worker (this build)': BIN, [`in the main thread (${before.ref})`]: before.bin };
    const samples = Object.fromEntries(
      Object.keys(commands).map((name) => [name, { wall: [], cpu: [], rss: [], reported: [] }]),
    );
    for (const bin of Object.values(commands))
      spawnSync(process.execPath, [bin, '--config', one, '--no-alert', '--quiet']);
    for (let round = 0; round < Math.max(10, Math.round(RUNS / 2)); round++) {
      progress(`worker cost: round ${round + 1}`);
      for (const [name, bin] of Object.entries(commands).sort(() => Math.random() - 0.5)) {
        const started = performance.now();
        const timed = spawnSync(
          '/usr/bin/time',
          ['-f', '%M %U %S', process.execPath, bin, '--config', one, '--no-alert', '--json'],
          { encoding: 'utf8' },
        );
        samples[name].wall.push(performance.now() - started);
        const [kb, user, sys] = timed.stderr.trim().split('\n').at(-1).split(' ').map(Number);
        samples[name].rss.push(kb / 1024);
        samples[name].cpu.push((user + sys) * 1000);
        samples[name].reported.push(JSON.parse(timed.stdout).services.redis.response_time_ms);
      }
    }
    say("## The probe worker's cost: one redis check, whole process");
    say();
    say(
      'The same run (one redis check against a local redis-server) with this build and with the build from before the',
    );
    say(
      'datastore clients moved into a worker thread. Interleaved rounds, medians; CPU is user + system of the process.',
    );
    say();
    say('| build | wall ms | CPU ms | peak RSS MiB | reported redis ms |');
    say('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, s] of Object.entries(samples)) {
      say(`| ${name} | ${f(median(s.wall))} | ${f(median(s.cpu))} | ${f(median(s.rss))} | ${f(median(s.reported))} |`);
    }
    say();
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The program as it was before the probe worker: REF's sources (default: the parent of the commit that added
 * src/probes/host.ts) built into .bench-tmp/before-REF/ with this checkout's node_modules. Undefined without git.
 */
function buildBefore(ref) {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/probes/host.ts')
    .stdout.trim()
    .split('\n')
    .at(-1);
  const commit = git('rev-parse', '--short', ref ?? (added ? `${added}^` : '')).stdout.trim();
  if (!commit) return undefined;
  const root = join(ROOT, '.bench-tmp', `before-${commit}`);
  const bin = join(root, 'bin', 'neuronova-health-check.js');
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    progress(`building ${commit} (before the probe worker) into ${root}`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const tar = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${root}"`], { cwd: ROOT });
    if (tar.status !== 0) return undefined;
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building ${commit} failed: ${built.stderr}`);
  }
  return { ref: commit, bin };
}
