// Benchmark: `serve`'s /api/health/ under 32 keep-alive connections, side by side with a bare node:http server that
// returns the same bytes, in the same run; then serve's resident memory over 100,000 requests (docs/serve.md).
//
//   node bench/serve.mjs [--quick] [--json] [--also NAME=URL ...]    (from the repository root, after npm run build)
//
// The load comes from this process through undici (a Pool of 32 connections, one request in flight on each): the same
// client for every server, so the ratio is fair even though the client shares the cores with the server it measures.
// Rounds alternate bare and serve, so a burst of load from elsewhere on the host lands on both alike; each server's own
// CPU time per request (from /proc) is printed too, the figure a busy host disturbs least.
// --also adds another server already listening (e.g. a fastify variant under .bench-tmp/) to the same rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 32;
const MiB = 1024 * 1024;

/** Fire `requests` GETs of `url` over `connections` keep-alive connections; throughput and latency percentiles. */
export async function load(url, requests, connections = CONNECTIONS) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies = new Float64Array(requests);
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        const { statusCode, body } = await pool.request({ path: target.pathname, method: 'GET' });
        for await (const _chunk of body); // read it all, as a client would
        latencies[i] = performance.now() - t;
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort();
  const at = (q) => latencies[Math.min(requests - 1, Math.floor(q * requests))];
  return {
    requests,
    rps: requests / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[requests - 1],
    statuses: Object.fromEntries(statuses),
  };
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time (user + system) a process has used so far, in ms: a figure a busy host disturbs far less than req/s. */
export function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Start a program that prints its URL on its first stdout line; resolves with the child and the URL. */
function startServer(argv, pattern, env = process.env) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${argv.join(' ')} exited ${code} before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve({ child, url: match[1] });
      else reject(new Error(`unexpected first line: ${line}`));
    });
  });
}

const BARE = `
const http = require('node:http');
const body = Buffer.from(process.env.BODY, 'base64');
const type = process.env.TYPE;
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port + '/'));
`;

/**
 * @param {{quick?: boolean, bin?: string, also?: [string, string][], progress?: (text: string) => void}} options
 */
export async function serveBench({
  quick = false,
  bin = join(ROOT, 'bin', 'neuronova-health-check.js'),
  also = [],
  progress = () => {},
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nn-serve-bench-'));
  const config = join(dir, 'serve.yml');
  // A disk and a memory check: a healthy host, as a load balancer polls it; the access log is written as in production.
  writeFileSync(
    config,
    `log_file: ${join(dir, 'health.log')}\nstate_dir: ${join(dir, 'state')}\nchecks:\n  - { name: disk, type: disk, path: / }\n  - { name: memory, type: memory, warning: 99, critical: 100 }\n` +
      `serve:\n  listen: 127.0.0.1:0\n  interval: 30s\n  access_log: ${join(dir, 'access', 'serve.log')}\n`,
  );
  const servers = [];
  try {
    const serve = await startServer([process.execPath, bin, 'serve', '--config', config], /^serving (http:\/\/\S+)/);
    servers.push(serve.child);
    const health = `${serve.url}api/health/`;
    const sample = await fetch(health);
    const body = Buffer.from(await sample.arrayBuffer());
    const type = sample.headers.get('content-type');
    const bare = await startServer([process.execPath, '-e', BARE], /^(http:\/\/\S+)/, {
      ...process.env,
      BODY: body.toString('base64'),
      TYPE: type,
    });
    servers.push(bare.child);
    const targets = [['bare node:http', bare.url, bare.child.pid], ['serve', health, serve.child.pid], ...also];
    const rounds = quick ? 2 : 5;
    const perRound = quick ? 3000 : 10_000;
    progress(`serve: warm-up`);
    for (const [, url] of targets) await load(url, 2000);
    const results = Object.fromEntries(targets.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      progress(`serve: round ${round + 1}/${rounds}`);
      for (const [name, url, pid] of round % 2 ? [...targets].reverse() : targets) {
        const cpuBefore = pid ? cpuMsOf(pid) : undefined;
        const result = await load(url, perRound);
        results[name].push({ ...result, cpuUs: pid ? ((cpuMsOf(pid) - cpuBefore) * 1000) / perRound : undefined });
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const summary = Object.fromEntries(
      Object.entries(results).map(([name, list]) => [
        name,
        {
          rps: median(list.map((r) => r.rps)),
          p50: median(list.map((r) => r.p50)),
          p99: median(list.map((r) => r.p99)),
          cpuUs: list[0].cpuUs === undefined ? undefined : median(list.map((r) => r.cpuUs)),
          statuses: list[0].statuses,
        },
      ]),
    );

    // Memory: how many requests serve has answered so far, then on to 100,000 with readings at 10k and 100k.
    const served = 2000 + rounds * perRound + 1;
    const total = quick ? 30_000 : 100_000;
    const early = quick ? 5000 : 10_000;
    let count = served;
    if (count < early) {
      await load(health, early - count);
      count = early;
    }
    const atEarly = memoryOf(serve.child.pid);
    progress(`serve: memory, ${count} → ${total} requests`);
    while (count < total) {
      const n = Math.min(20_000, total - count);
      await load(health, n);
      count += n;
    }
    const atEnd = memoryOf(serve.child.pid);
    return {
      connections: CONNECTIONS,
      rounds,
      perRound,
      body: body.toString().trim(),
      servers: summary,
      ratio: summary.serve.rps / summary['bare node:http'].rps,
      memory: {
        early: { requests: early, rss: atEarly.rss },
        end: { requests: total, rss: atEnd.rss, peak: atEnd.peak },
      },
    };
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Markdown lines for bench/RESULTS.md and the terminal. */
export function serveLines(result) {
  const lines = [
    `/api/health/ (${result.body}), ${result.connections} keep-alive connections, ${result.rounds} alternating rounds of ${result.perRound.toLocaleString('en')} requests, medians:`,
    '',
    '| server | requests/s | p50 ms | p99 ms | vs bare | server CPU µs per request |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  const bare = result.servers['bare node:http'].rps;
  for (const [name, s] of Object.entries(result.servers)) {
    lines.push(
      `| ${name} | ${Math.round(s.rps).toLocaleString('en')} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${(s.rps / bare).toFixed(2)}× | ${s.cpuUs === undefined ? '—' : Math.round(s.cpuUs)} |`,
    );
  }
  const { early, end } = result.memory;
  lines.push(
    '',
    `serve's resident memory: ${(early.rss / MiB).toFixed(1)} MiB after ${early.requests.toLocaleString('en')} requests, ${(end.rss / MiB).toFixed(1)} MiB after ${end.requests.toLocaleString('en')} (peak ${(end.peak / MiB).toFixed(1)} MiB).`,
  );
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const also = argv.flatMap((arg, i) => (argv[i - 1] === '--also' ? [arg.split(/=(.*)/s).slice(0, 2)] : []));
  const result = await serveBench({
    quick: argv.includes('--quick'),
    also,
    progress: (text) => process.stderr.write(`bench: ${text}\n`),
  });
  process.stdout.write(
    argv.includes('--json') ? JSON.stringify(result, null, 2) + '\n' : serveLines(result).join('\n') + '\n',
  );
}
