// `postgres` check: connects with the URL, runs SELECT 1, reports response time. (Being built: issue 5.)
import { z } from 'zod';
import { defineCheck } from './check.js';

export const postgres = defineCheck({
  type: 'postgres',
  schema: z.object({ url: z.string().min(1) }),
  timeoutLevel: 'CRITICAL',
  async run() {
    return { level: 'UNKNOWN', message: 'postgres check not built yet' };
  },
});
