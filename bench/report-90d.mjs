// Benchmark: `report` over 90 days of 5-minute history for 20 checks (≈ 518,000 results) — read, parse, aggregate.
// Run: node bench/report-90d.mjs   (uses the TypeScript sources through tsx; also times the built binary if dist/ exists)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { benchChecks, writeBenchHistory } = await import('./fixture/history-mix.mjs');
const { forEachRun } = await import('../src/history/read.ts');
const { uptimeReporter } = await import('../src/report/report.ts');
const { statusCollector, PAGE_DAYS } = await import('../src/outputs/status-page-model.ts');
const { renderStatusPage } = await import('../src/outputs/status-page-html.ts');

const DAYS = 90;
const CHECKS = Number(process.env.NN_BENCH_CHECKS ?? 20); // NN_BENCH_CHECKS=8 for the built-in NeuroNova set
const root = mkdtempSync(join(tmpdir(), 'nn-bench-report-'));
const stateDir = join(root, 'state');
const checks = benchChecks(CHECKS);
const { dir, start, end, results, bytes, files } = writeBenchHistory(stateDir, { days: DAYS, checks });

function timeIt(fn, rounds = 7) {
  const times = [];
  let out;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], out };
}

const options = { fromMs: start, toMs: end + 1000, since: '90d', target: 99.9, host: 'bench', known: checks };
let runs = 0;
const read = timeIt(() => {
  runs = 0;
  return forEachRun(dir, options, () => runs++);
});
const report = (fromMs) => {
  const reporter = uptimeReporter({ ...options, fromMs });
  forEachRun(dir, { ...options, fromMs }, reporter.add);
  return reporter.finish();
};
const whole = timeIt(() => report(start));
const day1 = timeIt(() => report(end - 86_400_000));
// What outputs.status_dir adds to every run: read the page's 30 days, build the model, render the HTML.
const page = timeIt(() => {
  const collector = statusCollector({ host: 'bench', nowMs: end + 1000, target: 99.9, checks });
  forEachRun(dir, { fromMs: end + 1000 - PAGE_DAYS * 86_400_000, toMs: end + 1000 }, collector.add);
  return renderStatusPage(collector.finish());
});
console.log(
  `history: ${DAYS} days × ${CHECKS} checks every 5 min = ${runs} runs, ${results} results, ${(bytes / 1e6).toFixed(1)} MB in ${files} files`,
);
console.log(`read + parse (90d):          median ${read.median.toFixed(0)} ms (min ${read.min.toFixed(0)})`);
console.log(
  `read + report (90d):         median ${whole.median.toFixed(0)} ms (min ${whole.min.toFixed(0)}) → ${whole.out.availability.runs} runs, ${Object.values(whole.out.checks).reduce((n, c) => n + c.incidents.length, 0)} incidents`,
);
console.log(`read + report (24h):         median ${day1.median.toFixed(0)} ms (min ${day1.min.toFixed(0)})`);
console.log(
  `status page (30d, ${CHECKS} checks): median ${page.median.toFixed(0)} ms (min ${page.min.toFixed(0)}) → index.html ${(page.out.length / 1024).toFixed(0)} KiB`,
);

// The user-visible figure: the built binary, process start included.
const bin = new URL('../bin/neuronova-health-check.js', import.meta.url).pathname;
if (existsSync(new URL('../dist/cli.js', import.meta.url))) {
  const config = join(root, 'config.yml');
  writeFileSync(
    config,
    `log_file: ${join(root, 'health.log')}\nstate_dir: ${stateDir}\nchecks:\n${checks.map((c) => `  - { name: ${c.name}, type: memory }`).join('\n')}\n`,
  );
  const runBin = (since) =>
    timeIt(() => {
      const r = spawnSync(process.execPath, [bin, 'report', '--since', since, '--json', '--config', config], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout).availability.runs;
    }, 5);
  for (const since of ['24h', '90d']) {
    const timed = runBin(since);
    console.log(
      `binary report --since ${since} --json: median ${timed.median.toFixed(0)} ms (whole process, ${timed.out} runs)`,
    );
  }
  // What outputs.status_dir costs a whole run (CHECKS memory checks; the page reads 30 of the 90 days). Each run also
  // appends to this history, which does not change the figures.
  const withPage = join(root, 'config-page.yml');
  writeFileSync(withPage, readFileSync(config, 'utf8') + `outputs: { status_dir: ${join(root, 'www')} }\n`);
  const runOnce = (file) =>
    timeIt(() => spawnSync(process.execPath, [bin, '--quiet', '--no-alert', '--config', file]), 7);
  runOnce(config);
  runOnce(withPage);
  console.log(`binary run, ${CHECKS} checks:             median ${runOnce(config).median.toFixed(0)} ms`);
  console.log(`binary run, ${CHECKS} checks + status page: median ${runOnce(withPage).median.toFixed(0)} ms`);
  const node0 = timeIt(() => spawnSync(process.execPath, ['-e', '0']), 5);
  console.log(`(node -e 0 on this machine:          median ${node0.median.toFixed(0)} ms)`);
}
rmSync(root, { recursive: true, force: true });
