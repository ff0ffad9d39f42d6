// `stats` command. (Being built in its own issue.)
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export async function statsCommand(_flags: GlobalOptions & Record<string, unknown>, _io: CommandIO, ..._args: unknown[]): Promise<number> {
  throw new UsageError('stats is not built yet');
}
