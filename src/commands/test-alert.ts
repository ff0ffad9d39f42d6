// `test-alert` command. (Being built in its own issue.)
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

export async function testAlertCommand(_flags: GlobalOptions & Record<string, unknown>, _io: CommandIO, ..._args: unknown[]): Promise<number> {
  throw new UsageError('test-alert is not built yet');
}
