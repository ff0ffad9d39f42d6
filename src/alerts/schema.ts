// The `alerts:` block of the config: when to notify, and the channels (each channel validates its own keys).
import { z } from 'zod';
import { duration, strictObject } from '../config/schema-kit.js';

export const emailSchema = strictObject({
  to: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((to) => (Array.isArray(to) ? to : [to])),
  from: z.string().min(1).optional(),
  smtp: z.string().regex(/^smtps?:\/\//i, 'must be an smtp:// or smtps:// URL').optional(),
  sendmail: z.union([z.boolean(), z.string().min(1)]).optional(),
});

export const slackSchema = strictObject({
  webhook: z.string().regex(/^https?:\/\//i, 'must be the https:// incoming-webhook URL'),
});

export const webhookSchema = strictObject({
  url: z.string().regex(/^https?:\/\//i, 'must be an http:// or https:// URL'),
  headers: z.record(z.string(), z.string()).default({}),
});

export const alertsSchema = strictObject({
  on: z.enum(['warning', 'critical']).default('critical'),
  after: z.number().int().min(1).default(1),
  recover_after: z.number().int().min(1).default(1),
  repeat: duration().default(3_600_000),
  recovery: z.boolean().default(true),
  email: emailSchema.optional(),
  slack: slackSchema.optional(),
  webhook: webhookSchema.optional(),
});

export type AlertsConfig = z.output<typeof alertsSchema>;
