// The `command` check with Debian's real Nagios plugins (check_disk, check_tcp, check_procs): level, message and perfdata
// come through intact into the JSON report, the log, the Nagios line and the Prometheus textfile.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import parsePrometheus from 'parse-prometheus-text-format';
import { nagiosOutput } from '../../src/outputs/nagios.js';
import { prometheusText } from '../../src/outputs/prometheus.js';
import { parsePerfdata } from '../../src/util/perfdata.js';
import { skipUnless } from '../helpers/binaries.js';
import { runYaml, type CheckRun } from '../helpers/check-run.js';
import { freePort } from '../helpers/silent-listener.js';

const PLUGINS = '/usr/lib/nagios/plugins';
const plugin = (name: string) => join(PLUGINS, name);
const pluginsSkip = skipUnless(
  ['check_disk', 'check_tcp', 'check_procs'].every((name) => existsSync(plugin(name))),
  `Nagios plugins (${PLUGINS}/check_disk, check_tcp, check_procs)`,
  'monitoring-plugins-basic',
);
const cmd = (name: string, argv: string[]) =>
  `  - { name: ${name}, type: command, command: ${JSON.stringify(argv)}, timeout: 10s }\n`;

/** The perfdata text of the check's JSON entry, and the same parsed, as --json and Prometheus get them. */
function perfOf(run: CheckRun, name: string) {
  const entry = run.report.services[name]!;
  const result = run.results.find((r) => r.name === name)!;
  return { text: entry.perfdata as string | undefined, parsed: result.perf ?? [] };
}

interface Sample {
  labels?: Record<string, string>;
  value: string;
}
function prometheusSamples(run: CheckRun, family: string): Sample[] {
  const families = parsePrometheus(prometheusText(run.results, run.report)) as { name: string; metrics: Sample[] }[];
  return families.find((f) => f.name === family)?.metrics ?? [];
}

describe('Nagios plugins through the command check', { skip: pluginsSkip }, () => {
  let dir: string;
  let server: Server;
  let serverPort: number;
  let sleeper: ChildProcess;
  const token = `nn-procs-probe-${process.pid}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nn-plugins-'));
    // check_tcp needs something to talk to: a tiny banner server.
    server = createServer((socket) => {
      // check_tcp may hang up before reading the banner: a reset is normal here, not a failure.
      socket.on('error', () => undefined);
      socket.end('hello\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverPort = (server.address() as { port: number }).port;
    // check_procs counts this one process by its unusual argument.
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', token], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
  });
  after(async () => {
    sleeper?.kill('SIGKILL');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('check_disk: OK, WARNING and CRITICAL with the plugin text and byte perfdata with thresholds', async () => {
    const run = await runYaml(
      cmd('disk-ok', [plugin('check_disk'), '-w', '0%', '-c', '0%', '-p', dir]) +
        cmd('disk-warn', [plugin('check_disk'), '-w', '100%', '-c', '0%', '-p', dir]) +
        cmd('disk-crit', [plugin('check_disk'), '-w', '100%', '-c', '100%', '-p', dir]),
    );
    const expected = {
      'disk-ok': ['OK', 'SUCCESS'],
      'disk-warn': ['WARNING', 'WARNING'],
      'disk-crit': ['CRITICAL', 'ERROR'],
    } as const;
    for (const [name, [level, word]] of Object.entries(expected)) {
      const entry = run.report.services[name]!;
      assert.equal(entry.level, level, `${name}: ${entry.message}`);
      assert.equal(entry.exit_code, { OK: 0, WARNING: 1, CRITICAL: 2 }[level]);
      assert.match(entry.message, new RegExp(`^DISK ${level} - free space: \\S+ \\d+\\w*B \\(\\d+% inode=\\d+%\\);$`));
      // The log line carries the level word and the plugin's own first line, unchanged, then its perfdata after ` | `.
      assert.ok(run.log.includes(`] ${word}: ${name}: ${entry.message} | ${entry.perfdata}\n`), run.log);
      // perfdata: one datum per filesystem, `label=valueUNIT;warn;crit;min;max`, exactly as the plugin printed it.
      const { text, parsed } = perfOf(run, name);
      assert.match(text!, /^'?\/[^=]*'?=\d+(\.\d+)?[KMGT]?i?B;\d+(\.\d+)?;\d+(\.\d+)?;0;\d+(\.\d+)?$/);
      assert.deepEqual(parsed, parsePerfdata(text!));
      assert.equal(parsed.length, 1);
      assert.match(parsed[0]!.uom!, /^[KMGT]?i?B$/);
      assert.equal(parsed[0]!.min, 0);
      assert.ok(parsed[0]!.max! > 0);
    }
    // -c 100% means "less than 100% free is critical": both thresholds at 0 bytes used.
    const crit = perfOf(run, 'disk-crit').parsed[0]!;
    assert.equal(crit.warn, '0');
    assert.equal(crit.crit, '0');
    assert.equal(run.report.level, 'CRITICAL');
  });

  test('check_tcp: OK with the banner, WARNING on an unexpected answer, CRITICAL on a closed port', async () => {
    const closed = await freePort();
    const run = await runYaml(
      cmd('tcp-ok', [plugin('check_tcp'), '-H', '127.0.0.1', '-p', String(serverPort), '-e', 'hello']) +
        cmd('tcp-warn', [
          plugin('check_tcp'),
          '-H',
          '127.0.0.1',
          '-p',
          String(serverPort),
          '-e',
          'nope',
          '-M',
          'warn',
        ]) +
        cmd('tcp-down', [plugin('check_tcp'), '-H', '127.0.0.1', '-p', String(closed)]),
    );
    const ok = run.report.services['tcp-ok']!;
    assert.equal(ok.level, 'OK');
    assert.match(
      ok.message,
      new RegExp(`^TCP OK - [\\d.]+ second response time on 127\\.0\\.0\\.1 port ${serverPort} \\[hello\\]$`),
    );
    const okPerf = perfOf(run, 'tcp-ok');
    assert.match(okPerf.text!, /^time=[\d.]+s;;;0\.000000;10\.000000$/);
    assert.equal(okPerf.parsed[0]!.label, 'time');
    assert.equal(okPerf.parsed[0]!.uom, 's');
    assert.equal(okPerf.parsed[0]!.min, 0);
    assert.equal(okPerf.parsed[0]!.max, 10);

    const warn = run.report.services['tcp-warn']!;
    assert.equal(warn.level, 'WARNING');
    assert.equal(warn.message, 'TCP WARNING - Unexpected response from host/socket: hello');
    assert.match(run.log, /WARNING: tcp-warn: TCP WARNING - Unexpected response from host\/socket: hello( \| .+)?\n/);

    const down = run.report.services['tcp-down']!;
    assert.equal(down.level, 'CRITICAL');
    assert.match(down.message, new RegExp(`port ${closed}: Connection refused`));
    assert.match(run.log, new RegExp(`ERROR: tcp-down: .*port ${closed}: Connection refused( \\| .+)?\\n`));
  });

  test('check_procs: ranges in the thresholds (1:1, 2:, 1:) come through as written', async () => {
    // One at a time: every check_procs has the token in its own arguments and would count the others.
    const one = async (name: string, args: string[]) =>
      runYaml(
        `  - { name: ${name}, type: command, command: ${JSON.stringify([plugin('check_procs'), '-a', token, ...args])} }\n`,
        'concurrency: 1\n',
      );
    const ok = await one('procs-ok', ['-w', '1:1', '-c', '1:1']);
    assert.equal(ok.report.services['procs-ok']!.level, 'OK');
    assert.equal(ok.report.services['procs-ok']!.message, `PROCS OK: 1 process with args '${token}'`);
    assert.equal(perfOf(ok, 'procs-ok').text, 'procs=1;1:1;1:1;0;');

    const warn = await one('procs-warn', ['-w', '2:', '-c', '1:']);
    assert.equal(warn.report.services['procs-warn']!.level, 'WARNING');
    assert.deepEqual(perfOf(warn, 'procs-warn').parsed, [{ label: 'procs', value: 1, warn: '2:', crit: '1:', min: 0 }]);

    const crit = await one('procs-crit', ['-c', '2:']);
    assert.equal(crit.report.services['procs-crit']!.level, 'CRITICAL');
    assert.match(
      crit.log,
      new RegExp(`ERROR: procs-crit: PROCS CRITICAL: 1 process with args '${token}' \\| procs=1;;2:;0;\\n`),
    );
  });

  test('plugin perfdata reaches the Nagios line and the Prometheus textfile, with the levels', async () => {
    const run = await runYaml(
      cmd('disk', [plugin('check_disk'), '-w', '100%', '-c', '0%', '-p', dir]) +
        cmd('tcp', [plugin('check_tcp'), '-H', '127.0.0.1', '-p', String(serverPort)]),
    );
    const disk = perfOf(run, 'disk').parsed[0]!;
    const tcp = perfOf(run, 'tcp').parsed[0]!;

    const line = nagiosOutput(run.results).split('\n')[0]!;
    assert.match(line, /^WARNING - 1 of 2 checks failing: disk \| /);
    // Our own Nagios line names each plugin's datum after its check (`disk:/`), values and thresholds untouched.
    const reparsed = parsePerfdata(line.slice(line.indexOf('|') + 1));
    assert.deepEqual(reparsed, [
      { ...disk, label: `disk:${disk.label}` },
      { ...tcp, label: 'tcp:time' },
    ]);

    const status = prometheusSamples(run, 'neuronova_check_status');
    assert.deepEqual(
      status.map((s) => [s.labels?.check, s.labels?.type, Number(s.value)]),
      [
        ['disk', 'command', 1],
        ['tcp', 'command', 0],
      ],
    );
    const perf = prometheusSamples(run, 'neuronova_check_perfdata');
    assert.deepEqual(
      perf.map((s) => [s.labels?.check, s.labels?.label, s.labels?.uom, Number(s.value)]),
      [
        ['disk', disk.label, disk.uom, disk.value],
        ['tcp', 'time', 's', tcp.value],
      ],
    );
  });

  test('a plugin following the guidelines with quoted labels, escaped quotes and units keeps them everywhere', async () => {
    // No plugin in monitoring-plugins-basic prints a quoted label on a plain host (check_disk would for a mount
    // point with a space), so this one is a script that prints what the plugin guidelines allow.
    const path = join(dir, 'check_app');
    writeFileSync(
      path,
      `#!/bin/sh\necho "APP WARNING - queue is long | 'queue depth'=120;100;500;0 'it''s'=5c 'free /srv data'=83.1%;80;90;0;100"\necho "second line"\necho "| 'time spent'=0.25s;1;2;0"\nexit 1\n`,
    );
    chmodSync(path, 0o755);
    const run = await runYaml(cmd('app', [path]));
    const entry = run.report.services.app!;
    assert.equal(entry.level, 'WARNING');
    assert.equal(entry.message, 'APP WARNING - queue is long');
    assert.equal(
      entry.perfdata,
      "'queue depth'=120;100;500;0 'it''s'=5c 'free /srv data'=83.1%;80;90;0;100 'time spent'=0.25s;1;2;0",
    );
    assert.deepEqual(run.results[0]!.perf, [
      { label: 'queue depth', value: 120, warn: '100', crit: '500', min: 0 },
      { label: "it's", value: 5, uom: 'c' },
      { label: 'free /srv data', value: 83.1, uom: '%', warn: '80', crit: '90', min: 0, max: 100 },
      { label: 'time spent', value: 0.25, uom: 's', warn: '1', crit: '2', min: 0 },
    ]);
    assert.match(
      nagiosOutput(run.results),
      /\| 'app:queue depth'=120;100;500;0 'app:it''s'=5c 'app:free \/srv data'=83\.1%;80;90;0;100 'app:time spent'=0\.25s;1;2;0\n/,
    );
    const perf = prometheusSamples(run, 'neuronova_check_perfdata');
    assert.deepEqual(
      perf.map((s) => [s.labels?.label, s.labels?.uom, Number(s.value)]),
      [
        ['queue depth', '', 120],
        ["it's", 'c', 5],
        ['free /srv data', '%', 83.1],
        ['time spent', 's', 0.25],
      ],
    );
  });
});
