// The time an http check reports against a real local server, next to curl's `%{time_total}` on the same server:
// within 2 ms + 20 % (medians of interleaved runs), in the first run of a process (the binary, started fresh each
// time) and in a warm process. The server runs in its own process, so neither side's work delays the other's peer.
// A host busy with other work slows both sides unevenly: a comparison that misses is measured again (up to three
// times, all figures in the failure message); a real overhead misses every time.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runYaml } from '../helpers/check-run.js';
import { makeFakeSystemctl } from '../helpers/fake-systemctl.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'neuronova-health-check.js');
const ROUNDS = 7;
const ATTEMPTS = 3;

let server: ChildProcess;
let url: string;
let dir: string;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const within = (ours: number, curl: number, extraMs: number) => ours <= curl + 2 + extraMs + 0.2 * curl;

function curlMs(): number {
  const run = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', url], { encoding: 'utf8' });
  assert.equal(run.status, 0, `curl failed: ${run.stderr}`);
  return Number(run.stdout) * 1000;
}

/** Interleave ours and curl ROUNDS times; retry the whole comparison while it misses (a busy host), at most ATTEMPTS. */
async function compare(ours: () => Promise<number>, extraMs = 0): Promise<void> {
  const tries: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const mine: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      mine.push(await ours());
      reference.push(curlMs());
    }
    const [m, c] = [median(mine), median(reference)];
    if (within(m, c, extraMs)) return;
    tries.push(
      `ours ${m.toFixed(2)} ms (${mine.join(', ')}) vs curl ${c.toFixed(2)} ms (${reference.map((x) => x.toFixed(2)).join(', ')})`,
    );
  }
  assert.fail(`reported time not within ${2 + extraMs} ms + 20 % of curl's time_total:\n${tries.join('\n')}`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-timing-'));
  // The bench's endpoint server, answering at once: a peer that takes well under a millisecond.
  server = spawn(process.execPath, [join(ROOT, 'bench', 'fixture', 'server.mjs')], {
    env: { ...process.env, BENCH_ENDPOINT_DELAY_MS: '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ports = await new Promise<{ okPort: number }>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line))),
  );
  url = `http://127.0.0.1:${ports.okPort}/api/health/`;
});
after(() => {
  server.stdin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('http response_time_ms against curl on the same local server', () => {
  test('the first run of a process: `run --json`, a fresh process each time', async () => {
    const config = join(dir, 'first.yml');
    writeFileSync(
      config,
      `log_file: ${dir}/first.log\nstate_dir: ${dir}/first-state\nchecks:\n  - { name: api, type: http, url: "${url}" }\n`,
    );
    await compare(async () => {
      const run = spawnSync(process.execPath, [BIN, 'run', '--json', '--config', config], { encoding: 'utf8' });
      const entry = JSON.parse(run.stdout).services.api;
      assert.equal(entry.level, 'OK');
      // the phases add up: connect ≤ first byte ≤ total, and total is the reported time
      assert.ok(
        entry.timings.connect_ms <= entry.timings.first_byte_ms &&
          entry.timings.first_byte_ms <= entry.timings.total_ms,
      );
      assert.equal(entry.timings.total_ms, entry.response_time_ms);
      return entry.response_time_ms as number;
    });
  });

  test('the first run of a process beside a systemd check (its systemctl started by execa on the same thread)', async () => {
    // systemctl cannot run here (systemd is not PID 1): the fake prints real `systemctl show` output (test/fixtures).
    const fake = makeFakeSystemctl();
    try {
      const config = join(dir, 'beside.yml');
      writeFileSync(
        config,
        `log_file: ${dir}/beside.log\nstate_dir: ${dir}/beside-state\nchecks:\n` +
          `  - { name: nginx, type: systemd, unit: nginx }\n  - { name: api, type: http, url: "${url}" }\n`,
      );
      await compare(async () => {
        const run = spawnSync(process.execPath, [BIN, 'run', '--json', '--config', config], {
          encoding: 'utf8',
          env: { ...process.env, ...fake.env({ nginx: 'active' }) },
        });
        const services = JSON.parse(run.stdout).services;
        assert.equal(services.nginx.level, 'OK', services.nginx.message);
        assert.equal(services.api.level, 'OK');
        return services.api.response_time_ms as number;
        // The clock waits until execa is loaded and systemctl forked (that was 20–30 ms charged to the peer); the
        // program's exit and output, handled on the same thread while the answer comes, still cost up to ~4 ms
        // (docs/checks-timing.md "Known gap").
      }, 4);
    } finally {
      fake.remove();
    }
  });

  test('a warm process (checks run again in the same process, as `serve` does)', async () => {
    await compare(async () => {
      const run = await runYaml(`  - { name: api, type: http, url: "${url}" }\n`);
      assert.equal(run.report.services.api!.level, 'OK');
      return run.report.services.api!.response_time_ms!;
    });
  });
});
