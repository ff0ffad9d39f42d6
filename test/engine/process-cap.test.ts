// The engine's two caps: checks that start a program (command, systemd) at most `process_concurrency` at once, while
// network checks in the same run are not held back by them — real programs and a real local HTTP server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { executeChecks } from '../../src/engine/execute.js';
import { overlapCounter, startServer, type TestServer } from '../helpers/http-server.js';

let server: TestServer;
let dir: string;
const counter = overlapCounter(150);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nn-process-cap-'));
  server = await startServer({
    '/count': counter.handler,
  });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each program marks itself running (a directory), notes how many are running, holds a moment, and unmarks itself.
const program = (name: string) =>
  `  - { name: ${name}, type: command, command: [/bin/sh, -c, "mkdir ${dir}/run.$$; ls -d ${dir}/run.* | wc -l >> ${dir}/seen; sleep 0.15; rmdir ${dir}/run.$$"] }\n`;
const http = (name: string) => `  - { name: ${name}, type: http, url: "${server.url('/count')}" }\n`;

function run(config: Config) {
  return executeChecks(config.checks, {
    concurrency: config.concurrency,
    processConcurrency: config.process_concurrency,
    deadlineMs: config.deadline,
    now: new Date(),
    thresholds: config.thresholds,
    previous: () => undefined,
  });
}

describe('process_concurrency', () => {
  test('caps programs at once, not network checks', async () => {
    const names = Array.from({ length: 6 }, (_, i) => i);
    const checks = names.map((i) => program(`plugin-${i}`)).join('') + names.map((i) => http(`api-${i}`)).join('');
    const config = parseConfigText(`process_concurrency: 2\nchecks:\n${checks}`, 'cap.yml', {});
    const results = await run(config);
    assert.ok(
      results.every((r) => r.level === 'OK'),
      JSON.stringify(results.filter((r) => r.level !== 'OK')),
    );
    const seen = readFileSync(join(dir, 'seen'), 'utf8').trim().split('\n').map(Number);
    assert.equal(seen.length, 6);
    assert.ok(Math.max(...seen) <= 2, `at most 2 programs at once (saw ${Math.max(...seen)})`);
    assert.ok(counter.max() > 2, `the http checks overlap beyond the program cap (saw ${counter.max()})`);
  });

  test('defaults: 256 checks at once, 8 of them programs', () => {
    const config = parseConfigText('checks: []\n', 'defaults.yml', {});
    assert.equal(config.concurrency, 256);
    assert.equal(config.process_concurrency, 8);
  });
});
