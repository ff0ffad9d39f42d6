// A second account (nobody) owns the status directory, the node-exporter textfile directory and the log directory,
// and plants symlinks — at the final names and at temp names that look predictable — to root-owned 0600 files.
// After a run as root the targets are untouched, content and mode (docs/files.md).
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { asNobody, NOBODY } from './kit.js';

test('symlinks planted by another account in status, textfile and log directories never redirect a write', {
  timeout: 60_000,
}, async (t) => {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nn-planted-'));
  chmodSync(dir, 0o755); // the other account must reach its directories inside
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // root's secrets: one with content, one empty (the old log code turned an empty 0600 file into 0644)
  const secrets = join(dir, 'root-only');
  mkdirSync(secrets, { mode: 0o700 });
  const secret = (name: string, content: string) => {
    const path = join(secrets, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const targets = [
    secret('shadow', 'root:$6$secret:19000::::::\n'),
    secret('empty', ''),
    secret('keys', 'ssh-ed25519 AAAA root\n'),
  ];
  const before = targets.map((path) => ({ path, content: readFileSync(path, 'utf8'), mode: statSync(path).mode }));

  const owned = (name: string) => {
    const path = join(dir, name);
    mkdirSync(path, { mode: 0o755 });
    chownSync(path, NOBODY, NOBODY);
    return path;
  };
  const status = owned('www-status');
  const textfiles = owned('textfile');
  const logs = owned('logs');
  const plant = (target: string, link: string) => asNobody('ln', '-s', target, link);
  plant(targets[0]!, join(status, 'index.html'));
  plant(targets[1]!, join(status, 'status.json'));
  plant(targets[2]!, join(textfiles, 'neuronova.prom'));
  plant(targets[1]!, join(logs, 'health.log'));
  // the temp names the old code used (.name.<pid>.tmp), for the pids the next runs are likely to get
  const lastPid = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  for (let pid = lastPid; pid < lastPid + 60; pid++) {
    plant(targets[0]!, join(status, `.index.html.${pid}.tmp`));
    plant(targets[2]!, join(textfiles, `.neuronova.prom.${pid}.tmp`));
  }

  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(logs, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'checks:',
      '  - { name: ok, type: command, command: [/bin/true] }',
      'outputs:',
      `  status_dir: ${status}`,
      `  prometheus: ${join(textfiles, 'neuronova.prom')}`,
      '',
    ].join('\n'),
  );
  const run = await runCli(['--config', config]);
  assert.equal(run.code, 0, run.stderr);
  // the log is refused, said once on stderr; the run goes on
  assert.match(
    run.stderr,
    /cannot write the log .*health\.log: .*health\.log is a symbolic link, and root never writes through one/,
  );

  for (const { path, content, mode } of before) {
    assert.equal(readFileSync(path, 'utf8'), content, `${path} content untouched`);
    assert.equal(statSync(path).mode, mode, `${path} mode untouched`);
  }
  // the page and the textfile were written as new files of their own, in place of the planted links
  for (const path of [join(status, 'index.html'), join(status, 'status.json'), join(textfiles, 'neuronova.prom')]) {
    const st = lstatSync(path);
    assert.ok(st.isFile(), `${path} is a plain file now`);
    assert.equal(st.mode & 0o777, 0o644);
    assert.equal(st.uid, 0);
  }
  assert.match(readFileSync(join(status, 'status.json'), 'utf8'), /"ok"/);
  assert.match(readFileSync(join(textfiles, 'neuronova.prom'), 'utf8'), /neuronova/);
});

test('a status directory below a directory another account owns is refused with one line naming it and the fix', {
  timeout: 30_000,
}, async (t) => {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'nn-planted-'));
  chmodSync(dir, 0o755); // the other account must reach its directories inside
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const theirs = join(dir, 'theirs');
  mkdirSync(theirs, { mode: 0o755 });
  chownSync(theirs, NOBODY, NOBODY);
  // they could swap `site` for a symlink to /etc at any moment
  asNobody('mkdir', join(theirs, 'site'));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      `log_file: ${join(dir, 'health.log')}`,
      `state_dir: ${join(dir, 'state')}`,
      'checks:',
      '  - { name: ok, type: command, command: [/bin/true] }',
      'outputs:',
      `  status_dir: ${join(theirs, 'site')}`,
      '',
    ].join('\n'),
  );
  const run = await runCli(['--config', config]);
  assert.equal(run.code, 0, run.stderr);
  const log = readFileSync(join(dir, 'health.log'), 'utf8');
  const line = log.split('\n').find((l) => l.includes('status page'));
  assert.match(
    line ?? '',
    new RegExp(
      `ERROR: status page: .*${theirs} is owned by uid ${NOBODY}, so another account could redirect the write of .*; make it owned by root and not writable by others \\(chown root:root ${theirs} && chmod go-w ${theirs}\\)`,
    ),
  );
  assert.equal(
    statSync(join(theirs, 'site', 'index.html'), { throwIfNoEntry: false }),
    undefined,
    'nothing written there',
  );
});
