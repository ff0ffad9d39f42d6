// The Node floor for one healthy cycle: the same checks as the default config with built-ins only, all at once,
// no config parsing, no framework — the least a Node program doing this job can cost. Usage: node floor.mjs CONFIG.json
// where CONFIG.json is the bench's plain description {log_file, cpu_critical, units, urls} written next to the YAML fixture.
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { request } from 'node:http';
import { availableParallelism, hostname, loadavg } from 'node:os';

const fixture = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const started = Date.now();

const systemd = (unit) =>
  new Promise((resolve) =>
    execFile(
      'systemctl',
      ['show', unit, '--property=LoadState,ActiveState,SubState,NRestarts,ActiveEnterTimestamp', '--no-pager'],
      (error, stdout) =>
        resolve(
          !error && /^ActiveState=active$/m.test(stdout)
            ? ['SUCCESS', `${unit}: active`]
            : ['ERROR', `${unit}: not active`],
        ),
    ),
  );

const http = (url) =>
  new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve([res.statusCode === 200 ? 'SUCCESS' : 'ERROR', `${url}: HTTP ${res.statusCode}`]));
    });
    req.on('error', (error) => resolve(['ERROR', `${url}: ${error.message}`]));
    req.end();
  });

const disk = async () => {
  const fs = await statfs('/');
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const pct = (used / (used + fs.bavail * fs.bsize)) * 100;
  return [pct < 90 ? 'SUCCESS' : 'ERROR', `disk: ${pct.toFixed(1)}% used`];
};

const memory = async () => {
  const text = await readFile('/proc/meminfo', 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)[1]);
  const pct = ((kb('MemTotal') - kb('MemAvailable')) / kb('MemTotal')) * 100;
  return [pct < 90 ? 'SUCCESS' : 'ERROR', `memory: ${pct.toFixed(1)}% used`];
};

const cpu = async () => {
  const pct = (loadavg()[0] / availableParallelism()) * 100;
  return [pct < (fixture.cpu_critical ?? 90) ? 'SUCCESS' : 'ERROR', `cpu: ${pct.toFixed(1)}% of capacity`];
};

const results = await Promise.all([...fixture.units.map(systemd), ...fixture.urls.map(http), disk(), memory(), cpu()]);
const stamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
const lines = [
  ['INFO', '========================================'],
  ['INFO', `Health check started (${results.length} checks, host ${hostname()})`],
  ...results,
  ['INFO', `Health check finished in ${Date.now() - started} ms`],
];
appendFileSync(fixture.log_file, lines.map(([word, text]) => `[${stamp()}] ${word}: ${text}\n`).join(''));
process.exit(results.some(([word]) => word === 'ERROR') ? 2 : 0);
