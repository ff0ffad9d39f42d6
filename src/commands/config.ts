// `config check` (validate and show what would run) and `config example` (the commented example file).
import { say, useLanguage } from '../i18n/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTarget } from '../checks/target.js';
import { loadConfig, locateConfig } from '../config/load.js';
import { CHANNEL_KINDS } from '../notifiers/index.js';
import { formatDuration } from '../util/duration.js';
import { maskText } from '../util/mask.js';
import { packageRoot } from '../util/package-root.js';
import type { CommandIO, GlobalOptions } from './io.js';

export function exampleConfigText(): string {
  return readFileSync(join(packageRoot(), 'deploy', 'config.example.yml'), 'utf8');
}

export async function configExampleCommand(_flags: GlobalOptions, io: CommandIO): Promise<number> {
  io.out(exampleConfigText());
  return 0;
}

/** Throws ConfigError (exit 3) when invalid; otherwise prints what would run and returns 0. */
export async function configCheckCommand(flags: GlobalOptions, io: CommandIO): Promise<number> {
  const location = locateConfig(flags.config);
  const config = loadConfig(location);
  await useLanguage(flags.lang ?? config.language);
  const enabled = config.checks.filter((check) => check.enabled);
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          valid: true,
          source: config.source,
          built_in_checks: Boolean(config.builtInChecks) || !config.source,
          checks: enabled.map((c) => ({ name: c.name, type: c.type })),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const lines = [
    !config.source
      ? say.configCheck.builtInOk(location.path)
      : config.builtInChecks
        ? say.configCheck.okBuiltInChecks(config.source, config.builtInChecks)
        : say.configCheck.ok(config.source),
    `log_file ${config.log_file} · state_dir ${config.state_dir} · timeout ${formatDuration(config.timeout)} · deadline ${formatDuration(config.deadline)}`,
    say.configCheck.wouldRun(enabled.length),
  ];
  const width = Math.max(4, ...enabled.map((c) => c.name.length));
  for (const check of enabled)
    lines.push(`  ${check.name.padEnd(width)}  ${check.type.padEnd(8)} ${maskText(checkTarget(check)?.value ?? '')}`);
  const disabled = config.checks.length - enabled.length;
  if (disabled) lines.push(say.configCheck.disabled(disabled));
  const channels = CHANNEL_KINDS.filter((kind) => config.alerts[kind]);
  lines.push(say.configCheck.alerts(channels, config.alerts.on));
  io.out(lines.join('\n') + '\n');
  return 0;
}
