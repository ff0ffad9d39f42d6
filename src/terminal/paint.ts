// Colour for terminal output: chalk, loaded only when stdout is a terminal that wants colour.
import type { Level } from '../levels.js';

export interface Paint {
  level(level: Level, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const PLAIN: Paint = { level: (_l, text) => text, dim: (text) => text, bold: (text) => text };

/** Colour only on a TTY, without NO_COLOR and without --no-color (docs/reference.md#command-line). */
export function wantsColor(
  stream: NodeJS.WriteStream,
  noColorFlag: boolean,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return Boolean(stream.isTTY) && !noColorFlag && !('NO_COLOR' in env && env.NO_COLOR !== '');
}

export async function makePaint(color: boolean): Promise<Paint> {
  if (!color) return PLAIN;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  const byLevel: Record<Level, (text: string) => string> = {
    OK: chalk.green,
    WARNING: chalk.yellow,
    CRITICAL: chalk.red.bold,
    UNKNOWN: chalk.magenta,
  };
  return { level: (level, text) => byLevel[level](text), dim: chalk.dim, bold: chalk.bold };
}
