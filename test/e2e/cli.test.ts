// End to end: the built binary's exit codes 0/1/2/3, --quiet / --json / --format nagios, colour rules, bad configs
// (exit 3, one line per problem, no stack trace), missing config paths, config check / example, --only, --version.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { baseEnv, BIN, ensureBuilt, REPO, runCli } from '../helpers/cli.js';
import { findBinary, skipUnless } from '../helpers/binaries.js';
import { startMixedHost, type MixedHost } from '../helpers/mixed-host.js';

const ESC = '\x1b[';
let host: MixedHost;
/** Config files by the overall level they produce. */
const configs: Record<'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN' | 'WARN_AND_UNKNOWN', string> = {} as never;

before(async () => {
  await ensureBuilt();
  host = await startMixedHost();
  const c = host.checks;
  const unknown = '  - { name: plugin, type: command, command: [/bin/sh, -c, "echo cannot tell; exit 3"] }\n';
  configs.OK = host.config('ok', c.systemdActive + c.healthy + c.withSecret);
  configs.WARNING = host.config('warning', c.healthy + c.aboveWarning);
  configs.CRITICAL = host.config(
    'critical',
    c.healthy + c.aboveWarning + c.serverError + c.keywordHit + c.closedPort + c.systemdFailed,
  );
  configs.UNKNOWN = host.config('unknown', c.healthy + unknown);
  configs.WARN_AND_UNKNOWN = host.config('warn-unknown', unknown + c.aboveWarning);
});
after(async () => {
  await host?.close();
});

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { env: { ...host.env(), ...env } });

describe('exit codes follow the Nagios convention', () => {
  for (const [level, code, status] of [
    ['OK', 0, 'healthy'],
    ['WARNING', 1, 'degraded'],
    ['CRITICAL', 2, 'unhealthy'],
    ['UNKNOWN', 3, 'unknown'],
  ] as const) {
    test(`${level} → exit ${code}; --json prints only the report, level ${level}, status ${status}`, async () => {
      const result = await run(['--json', '--config', configs[level]]);
      assert.equal(result.code, code, result.stdout + result.stderr);
      assert.equal(result.stderr, '');
      const report = JSON.parse(result.stdout);
      assert.equal(report.level, level);
      assert.equal(report.status, status);
    });
  }

  test('the worst level wins, and UNKNOWN ranks below WARNING', async () => {
    const result = await run(['--config', configs.WARN_AND_UNKNOWN]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^WARNING \(1 unknown, 1 warning, 0 ok\) in \d+ ms · log: /m);
  });
});

describe('output modes', () => {
  test('--quiet prints nothing on stdout, whatever the result, and keeps the exit code and the log', async () => {
    for (const [level, code] of [
      ['OK', 0],
      ['WARNING', 1],
      ['CRITICAL', 2],
      ['UNKNOWN', 3],
    ] as const) {
      const result = await run(['--quiet', '--config', configs[level]]);
      assert.equal(result.stdout, '', level);
      assert.equal(result.stderr, '', level);
      assert.equal(result.code, code, level);
    }
    assert.match(readFileSync(host.logFile('critical'), 'utf8'), /ERROR: flask-api: HTTP 502/);
  });

  test("--quiet still reports the program's own problems on stderr (a bad config)", async () => {
    const bad = join(host.dir, 'quiet-bad.yml');
    writeFileSync(bad, 'checks:\n  - { name: a, type: systemd, unti: nginx }\n');
    const result = await run(['--quiet', '--config', bad]);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /checks\[0\]\.unti: unknown key "unti" \(did you mean "unit"\?\)/);
  });

  test('--format nagios prints the plugin line with perfdata, then one line per failing check', async () => {
    const result = await run(['--format', 'nagios', '--config', configs.CRITICAL]);
    assert.equal(result.code, 2, result.stderr);
    const [first, ...rest] = result.stdout.trimEnd().split('\n');
    assert.match(first!, /^CRITICAL - 5 of 6 checks failing: memory, flask-api, homepage, postgres-port, django \| /);
    assert.match(first!, /'memory'=[\d.]+%;0;100;0;100/);
    assert.ok(rest.some((line) => line.startsWith('CRITICAL: flask-api: HTTP 502 Bad Gateway')));
  });

  test('output piped (not a terminal) has no colour codes, NO_COLOR or not', async () => {
    for (const env of [{ NO_COLOR: undefined }, { NO_COLOR: '1' }]) {
      const result = await run(['--config', configs.CRITICAL], env);
      assert.ok(result.stdout.length > 0);
      assert.ok(!result.stdout.includes(ESC), JSON.stringify(result.stdout));
    }
  });

  const script = findBinary('script');
  test('on a terminal: coloured, unless NO_COLOR or --no-color', {
    skip: skipUnless(script !== undefined, 'script (for a pseudo-terminal)', 'bsdutils'),
  }, async () => {
    // `script` gives the program a real pseudo-terminal as stdout
    const onTty = (args: string[], env: Record<string, string | undefined>) =>
      new Promise<string>((resolve, reject) => {
        const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
        const child = spawn(script!, ['-qec', command, '/dev/null'], {
          cwd: REPO,
          env: baseEnv({ ...host.env(), TERM: 'xterm', ...env }),
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.once('error', reject);
        child.once('close', () => resolve(out));
      });
    const coloured = await onTty(['--config', configs.CRITICAL], { NO_COLOR: undefined });
    assert.ok(coloured.includes(ESC), 'a terminal gets colour');
    const noColorEnv = await onTty(['--config', configs.CRITICAL], { NO_COLOR: '1' });
    assert.ok(noColorEnv.includes('CRITICAL'));
    assert.ok(!noColorEnv.includes(ESC), 'NO_COLOR turns it off');
    const noColorFlag = await onTty(['--no-color', '--config', configs.CRITICAL], { NO_COLOR: undefined });
    assert.ok(!noColorFlag.includes(ESC), '--no-color turns it off');
  });
});

describe('bad configs and bad arguments exit 3 with a clear message and no stack trace', () => {
  function assertNoStack(text: string) {
    assert.doesNotMatch(text, /^\s+at /m, text);
    assert.doesNotMatch(text, /Error:|ZodError|node:internal/, text);
  }

  test('every problem of a bad file, one line each, naming the file', async () => {
    const bad = join(host.dir, 'bad.yml');
    writeFileSync(
      bad,
      'log_fil: /tmp/x\ntimeout: 10\nchecks:\n  - { name: nginx, type: systemd, unti: nginx }\n  - { name: api, type: htp, url: "http://x" }\n  - { name: db, type: tcp, host: h, port: "5432", depends_on: [ngnix] }\n',
    );
    const result = await run(['--config', bad]);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, '');
    assertNoStack(result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    assert.deepEqual([...lines].sort(), [
      `neuronova-health-check: ${bad}: checks[0].unit: is required (string)`,
      `neuronova-health-check: ${bad}: checks[0].unti: unknown key "unti" (did you mean "unit"?)`,
      `neuronova-health-check: ${bad}: checks[1].type: unknown check type "htp" (did you mean "http"?); valid types: systemd, http, tcp, disk, memory, cpu, postgres, redis, command, log`,
      `neuronova-health-check: ${bad}: checks[2].depends_on[0]: no check named "ngnix" (did you mean "nginx"?)`,
      `neuronova-health-check: ${bad}: checks[2].port: must be a number, not the text "5432"`,
      `neuronova-health-check: ${bad}: log_fil: unknown key "log_fil" (did you mean "log_file"?)`,
      `neuronova-health-check: ${bad}: timeout: 10 has no unit: write it like 10s or 10ms`,
    ]);
  });

  test('a YAML syntax error gives line and column', async () => {
    const bad = join(host.dir, 'syntax.yml');
    writeFileSync(bad, 'checks:\n  - { name: a, type: cpu\n  - name: b\n');
    const result = await run(['--config', bad, '--json']);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, '', '--json prints nothing when there is no report');
    assertNoStack(result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`^neuronova-health-check: ${bad}: line \\d+, column \\d+: .+ \\(fix the YAML syntax there\\)$`, 'm'),
    );
  });

  test('--config to a missing file exits 3 and says how to get one', async () => {
    const missing = join(host.dir, 'nope.yml');
    const result = await run(['--config', missing]);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `neuronova-health-check: ${missing}: no such file (create it with \`neuronova-health-check config example > FILE\`, or fix the path)\n`,
    );
  });

  test('NEURONOVA_HEALTH_CONFIG is used, and a missing file there is an error too', async () => {
    const viaEnv = await run(['--json'], { NEURONOVA_HEALTH_CONFIG: configs.WARNING });
    assert.equal(viaEnv.code, 1, viaEnv.stderr);
    assert.deepEqual(Object.keys(JSON.parse(viaEnv.stdout).services), ['django-api', 'memory']);
    const missing = await run([], { NEURONOVA_HEALTH_CONFIG: join(host.dir, 'gone.yml') });
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /gone\.yml: no such file/);
  });

  test('an unknown option or check name exits 3 with a pointer', async () => {
    const option = await run(['--bogus']);
    assert.equal(option.code, 3, option.stderr);
    assert.equal(option.stderr, "neuronova-health-check: unknown option '--bogus' (see --help)\n");
    const only = await run(['--config', configs.OK, '--only', 'ngnix']);
    assert.equal(only.code, 3, only.stderr);
    assert.match(only.stderr, /--only: no check named "ngnix" \(did you mean "nginx"\?\)/);
    assertNoStack(only.stderr);
  });
});

describe('other commands and flags', () => {
  test('--only runs just the named checks', async () => {
    const result = await run(['--json', '--only', 'django-api', '--config', configs.CRITICAL]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(Object.keys(JSON.parse(result.stdout).services), ['django-api']);
  });

  test('config check: 0 and what would run for a good file, 3 for a bad one', async () => {
    const good = await run(['config', 'check', '--config', configs.CRITICAL]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /: OK\n/);
    assert.match(good.stdout, /6 checks would run:/);
    assert.match(good.stdout, /flask-api\s+http\s+http:\/\/127\.0\.0\.1:\d+\/bad/);
    const bad = join(host.dir, 'check-bad.yml');
    writeFileSync(bad, 'checks:\n  - { name: x, type: memory, warning: 101 }\n');
    const refused = await run(['config', 'check', '--config', bad]);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /checks\[0\]\.warning: must be at most 100/);
  });

  test('config example prints a config that passes config check', async () => {
    const example = await run(['config', 'example']);
    assert.equal(example.code, 0, example.stderr);
    assert.equal(example.stdout, readFileSync(join(REPO, 'deploy', 'config.example.yml'), 'utf8'));
    const path = join(host.dir, 'example.yml');
    writeFileSync(path, example.stdout);
    const checked = await run(['config', 'check', '--config', path]);
    assert.equal(checked.code, 0, checked.stderr);
  });

  test('--version prints the package version', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });
});
