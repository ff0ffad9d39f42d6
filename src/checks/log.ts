// `log` check: lines matching a pattern written in the last window. (Being built: issue 5.)
import { z } from 'zod';
import { defineCheck } from './check.js';

export const log = defineCheck({
  type: 'log',
  schema: z.object({ path: z.string().min(1), pattern: z.string().min(1) }),
  timeoutLevel: 'UNKNOWN',
  async run() {
    return { level: 'UNKNOWN', message: 'log check not built yet' };
  },
});
