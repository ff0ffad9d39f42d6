// `logs summary|errors|cleanup` over the config's log_sources. (Being built in its own issue.)
import { UsageError } from '../util/errors.js';
import type { CommandIO, GlobalOptions } from './io.js';

type Flags = GlobalOptions & Record<string, unknown>;
const notYet = async (_flags: Flags, _io: CommandIO): Promise<number> => {
  throw new UsageError('logs is not built yet');
};
export const logsSummaryCommand = notYet;
export const logsErrorsCommand = notYet;
export const logsCleanupCommand = notYet;
