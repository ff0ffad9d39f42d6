// The `outputs:` block of the config: files and pings for other tools (docs/integrations.md).
import { z } from 'zod';
import { duration, httpUrl, strictObject } from '../config/schema-kit.js';

/** `heartbeat: URL`, or `heartbeat: {url, start, timeout}` for the `/start` ping and another time limit. */
const heartbeatSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { url: value } : value),
  strictObject({
    url: httpUrl(),
    /** Also ping URL/start when the run begins, so the monitor sees how long runs take and notices one that hangs. */
    start: z.boolean().default(false),
    timeout: duration()
      .refine((ms) => ms > 0, 'must be more than 0, like 5s')
      .default(5_000),
  }),
);

export const outputsSchema = strictObject({
  prometheus: z.string().min(1).optional(),
  status_dir: z.string().min(1).optional(),
  heartbeat: heartbeatSchema.optional(),
});

export type OutputsConfig = z.output<typeof outputsSchema>;
export type HeartbeatConfig = NonNullable<OutputsConfig['heartbeat']>;
