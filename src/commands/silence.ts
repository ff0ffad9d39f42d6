// `silence` command. (Being built in its own issue.)
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export async function silenceCommand(_flags: GlobalOptions & Record<string, unknown>, _io: CommandIO, ..._args: unknown[]): Promise<number> {
  throw new UsageError('silence is not built yet');
}
