// Benchmark: what writing the per-run history line costs a cron run — plain node:fs vs pino vs pino + pino-roll.
// Each variant is a fresh node process appending one history-sized line, as a cron run does; compare with `node -e 0`.
// Run: node bench/history-append.mjs   (uses hyperfine when installed, else a loop of spawnSync)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nn-bench-append-'));
const line = JSON.stringify({
  t: 1765000501,
  c: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`check-${i}`, ['O', 4.1, 'active (running)']])),
});
const variants = {
  'node -e 0 (baseline)': '0',
  'node:fs O_APPEND (chosen)': `import { openSync, writeSync, closeSync, fstatSync, mkdirSync, constants } from 'node:fs';
    mkdirSync('${dir}/fs', { recursive: true });
    const fd = openSync('${dir}/fs/h.jsonl', constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o640);
    fstatSync(fd); writeSync(fd, ${JSON.stringify(line + '\n')}); closeSync(fd);`,
  'pino, sync destination': `const { default: pino } = await import('pino');
    const log = pino({ base: null, timestamp: false }, pino.destination({ dest: '${dir}/pino.jsonl', sync: true, mkdir: true }));
    log.info(${line});`,
  'pino + pino-roll transport': `const { default: pino } = await import('pino');
    const log = pino({ base: null, timestamp: false }, pino.transport({ target: 'pino-roll', options: { file: '${dir}/roll', size: '8m', mkdir: true } }));
    log.info(${line});`,
};
const args = (code) => ['--input-type=module', '-e', code];
const cwd = new URL('..', import.meta.url).pathname; // so pino resolves from this project's node_modules

const hyperfine = spawnSync('hyperfine', ['--version']).status === 0;
if (hyperfine) {
  const commands = Object.entries(variants).flatMap(([name, code]) => [
    '-n',
    name,
    `node --input-type=module -e ${shellQuote(code)}`,
  ]);
  spawnSync('hyperfine', ['-N', '-w', '5', '-r', '40', ...commands], { stdio: 'inherit', cwd });
} else {
  for (const [name, code] of Object.entries(variants)) {
    const times = [];
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, args(code), { cwd });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(30)} median ${times[12].toFixed(1)} ms  (min ${times[0].toFixed(1)})`);
  }
}
rmSync(dir, { recursive: true, force: true });

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
