// The `serve:` block of the config: where the health API listens, how often it checks, the log API token, its access log.
import { z } from 'zod';
import { duration, strictObject } from '../config/schema-kit.js';
import { parseListen } from './listen.js';

export const SERVE_DEFAULTS = {
  listen: '127.0.0.1:8787',
  interval: 30_000,
  access_log: '/var/log/neuronova/serve.log',
};
/** Shorter tokens can be guessed over the network; `openssl rand -hex 32` makes a good one. */
export const MIN_TOKEN_LENGTH = 16;

const listen = () =>
  z.string().superRefine((value, ctx) => {
    const parsed = parseListen(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

/** The log API's bearer token. Every message is our own: a refused token is never quoted back (config errors are printed). */
const token = () =>
  z.unknown().transform((value, ctx) => {
    const problem =
      typeof value !== 'string'
        ? 'must be quoted text (make one with: openssl rand -hex 32)'
        : value.length < MIN_TOKEN_LENGTH
          ? `must be at least ${MIN_TOKEN_LENGTH} characters (make one with: openssl rand -hex 32)`
          : /[^\x21-\x7e]/.test(value)
            ? 'must be printable ASCII without spaces (make one with: openssl rand -hex 32)'
            : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value as string;
  });

export const serveSchema = strictObject({
  listen: listen().default(SERVE_DEFAULTS.listen),
  interval: duration()
    .refine((ms) => ms >= 1000 && ms <= 3_600_000, 'must be between 1s and 1h, like 30s')
    .default(SERVE_DEFAULTS.interval),
  token: token().optional(),
  token_file: z
    .string()
    .min(1)
    .refine((value) => value.startsWith('/'), 'must be an absolute path, like /etc/neuronova/serve.token')
    .optional(),
  access_log: z.string().min(1).default(SERVE_DEFAULTS.access_log),
}).refine((serve) => !(serve.token !== undefined && serve.token_file !== undefined), {
  message: 'set token or token_file, not both',
});

export type ServeConfig = z.output<typeof serveSchema>;
