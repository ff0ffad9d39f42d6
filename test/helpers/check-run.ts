// Test helper: one whole run in-process from a YAML `checks:` list, with its log and state in a temp dir.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import { nagiosOutput } from '../../src/outputs/nagios.js';
import { runChecks } from '../../src/run.js';
import type { CheckResult, RunReport } from '../../src/types.js';

export interface CheckRun {
  report: RunReport;
  results: CheckResult[];
  /** The log file's text. */
  log: string;
  /** What the program told stderr (onProblem). */
  problems: string[];
  /** Everything a user could see — JSON report, results, log, Nagios line, stderr — to search for secrets. */
  everything: string;
}

/** `checksYaml` is the YAML list under `checks:`, indented by two spaces. */
export async function runYaml(checksYaml: string, extraYaml = ''): Promise<CheckRun> {
  const dir = mkdtempSync(join(tmpdir(), 'nn-run-'));
  try {
    const logFile = join(dir, 'health.log');
    const text = `log_file: ${logFile}\nstate_dir: ${join(dir, 'state')}\n${extraYaml}checks:\n${checksYaml}`;
    const config = parseConfigText(text, join(dir, 'config.yml'), {});
    const problems: string[] = [];
    const outcome = await runChecks({ config, alert: false, onProblem: (m) => problems.push(m), host: 'test-host' });
    const log = readFileSync(logFile, 'utf8');
    const everything = [
      JSON.stringify(outcome.report),
      JSON.stringify(outcome.results),
      log,
      nagiosOutput(outcome.results),
      ...problems,
    ].join('\n');
    return { report: outcome.report, results: outcome.results, log, problems, everything };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
