// The status page step: status.json (the JSON report of docs/reference.md#json-report) and index.html in outputs.status_dir, both replaced atomically.
import { say } from '../i18n/index.js';
import { join } from 'node:path';
import { historyDir } from '../history/files.js';
import { decodeRun, encodeRun } from '../history/line.js';
import { forEachRun } from '../history/read.js';
import type { Config } from '../config/schema.js';
import type { StepContext } from '../run-context.js';
import type { CheckResult } from '../types.js';
import { writeFileAtomic } from '../util/safe-file.js';
import { renderStatusPage } from './status-page-html.js';
import { PAGE_DAYS, statusCollector, type StatusModel } from './status-page-model.js';
import { messageOf } from '../util/errors.js';

/** The status page step of a run (see run-steps.ts). */
export async function writeStatusPage(ctx: StepContext): Promise<void> {
  const dir = ctx.config.outputs.status_dir!;
  const model = buildStatusModel(ctx);
  writeStatusFiles(dir, JSON.stringify(ctx.report, null, 2) + '\n', renderStatusPage(model));
}

export function buildStatusModel(ctx: StepContext): StatusModel {
  return statusModelFor({
    config: ctx.config,
    host: ctx.report.host,
    now: ctx.now,
    results: ctx.results,
    // Without history the page still shows this run; the history step says why it could not write.
    onHistoryProblem: (message) => ctx.log.write('WARNING', say.run.statusPageNoHistory(message)),
  });
}

export interface StatusModelInput {
  config: Pick<Config, 'checks' | 'history' | 'state_dir'>;
  host: string;
  now: Date;
  /** The latest results, shown as the newest run when the history does not have them yet. */
  results: readonly CheckResult[];
  onHistoryProblem(message: string): void;
}

/** The page's model from the history in state_dir plus the latest results (serve builds it this way too). */
export function statusModelFor(input: StatusModelInput): StatusModel {
  const nowMs = input.now.getTime();
  const collector = statusCollector({
    host: input.host,
    nowMs,
    target: input.config.history.target,
    checks: input.config.checks
      .filter((check) => check.enabled)
      .map((check) => ({ name: check.name, type: check.type })),
  });
  let lastT = -Infinity;
  try {
    forEachRun(historyDir(input.config.state_dir), { fromMs: nowMs - PAGE_DAYS * 86_400_000, toMs: nowMs }, (run) => {
      collector.add(run);
      lastT = run.t;
    });
  } catch (error) {
    input.onHistoryProblem(messageOf(error));
  }
  // The history step normally wrote this run already; when state_dir is not writable it could not, so add it here.
  const current = decodeRun(encodeRun(input.now, input.results));
  if (current && current.t > lastT) collector.add(current);
  return collector.finish();
}

function writeStatusFiles(dir: string, json: string, html: string): void {
  for (const [name, content] of [
    ['status.json', json],
    ['index.html', html],
  ] as const) {
    const path = join(dir, name);
    try {
      // rewritten on every run: no fsync (docs/files.md)
      writeFileAtomic(path, content, { mode: 0o644, durable: false });
    } catch (error) {
      throw new Error(say.run.statusPageUnwritable(path, messageOf(error)));
    }
  }
}
