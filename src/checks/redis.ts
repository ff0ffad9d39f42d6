// `redis` check: PING → PONG with AUTH, reports response time. (Being built: issue 5.)
import { z } from 'zod';
import { defineCheck } from './check.js';

export const redis = defineCheck({
  type: 'redis',
  schema: z.object({ url: z.string().min(1) }),
  timeoutLevel: 'CRITICAL',
  async run() {
    return { level: 'UNKNOWN', message: 'redis check not built yet' };
  },
});
