// The `outputs:` block of the config: files and pings for other tools (SPEC §7).
import { z } from 'zod';
import { strictObject } from '../config/schema-kit.js';

export const outputsSchema = strictObject({
  prometheus: z.string().min(1).optional(),
  status_dir: z.string().min(1).optional(),
  heartbeat: z.string().regex(/^https?:\/\//i, 'must be an http:// or https:// URL').optional(),
});

export type OutputsConfig = z.output<typeof outputsSchema>;
