// `http` check: one request with node:http(s) — status, body keywords, JSON fields, response time, TLS days left.
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { worst } from '../levels.js';
import { round1 } from '../util/time.js';
import { strictObject } from '../config/schema-kit.js';
import { defineCheck } from './check.js';
import { describeNetError } from './net-errors.js';
import { bodyMisses, isStatusRule, statusMatches, type StatusRule } from './http-expect.js';
import { messageOf } from '../util/errors.js';

// node:http rather than undici: a check run is a short process, and undici's WebAssembly parser costs
// ~100 ms to compile and keeps the process alive after the last request (see docs/performance.md).
const BODY_CAP = 1024 * 1024;
const DAY_MS = 86_400_000;

// strictObject (not z.strictObject) so a typo like `contans` is answered with the nearest valid key.
// A function, like the getter below: schemas are built only when a config is validated (docs/performance.md).
const expectSchema = () => strictObject({
  status: z.unknown().refine(isStatusRule, 'must be a status code, a list of codes, a range like "200..399" or "2xx"').optional(),
  contains: z.array(z.string().min(1)).optional(),
  not_contains: z.array(z.string().min(1)).optional(),
  json: z.record(z.string(), z.unknown()).optional(),
  max_response_ms: z.number().positive().optional(),
  cert_days: z.number().int().min(0).optional(),
});

interface Response {
  status: number;
  body: string;
  truncated: boolean;
  certValidTo?: Date;
  location?: string;
}

async function send(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string | undefined; verifyTls: boolean },
  signal: AbortSignal,
): Promise<Response> {
  // node:https (and TLS with it) is imported for https URLs only: loading it costs ~6 ms of every start.
  const requestWith = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const request = requestWith(
      url,
      {
        method: options.method,
        headers: { 'user-agent': 'neuronova-health-check', accept: '*/*', ...options.headers },
        signal,
        agent: false,
        rejectUnauthorized: options.verifyTls,
      },
      (response: IncomingMessage) => {
        let certValidTo: Date | undefined;
        const socket = response.socket as TLSSocket;
        if (typeof socket.getPeerCertificate === 'function') {
          const cert = socket.getPeerCertificate();
          if (cert?.valid_to) certValidTo = new Date(cert.valid_to);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= BODY_CAP) {
            truncated = true;
            response.destroy();
            finish();
          }
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, BODY_CAP).toString('utf8'),
            truncated,
            ...(certValidTo ? { certValidTo } : {}),
            ...(response.headers.location ? { location: response.headers.location } : {}),
          });
        };
        response.on('end', finish);
        response.on('error', (error) => (truncated ? finish() : reject(error)));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

function describeError(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'no response before the timeout';
  const known = describeNetError(error);
  // Here the fix is one config key away: say which.
  if (known === 'TLS certificate is self-signed') return `${known} (set tls_verify: false to accept it)`;
  return known ?? messageOf(error);
}

export const http = defineCheck({
  type: 'http',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      url: z.string().refine((value) => /^https?:\/\/[^/\s]+/i.test(value), 'must be an http:// or https:// URL'),
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).default('GET'),
      headers: z.record(z.string(), z.string()).default({}),
      body: z.string().optional(),
      follow_redirects: z.union([z.boolean(), z.number().int().min(0).max(20)]).default(false),
      tls_verify: z.boolean().default(true),
      expect: expectSchema().default({}),
    });
  },
  timeoutLevel: 'CRITICAL',
  async run(cfg, ctx) {
    const started = performance.now();
    const maxRedirects = cfg.follow_redirects === true ? 5 : cfg.follow_redirects === false ? 0 : cfg.follow_redirects;
    let url = new URL(cfg.url);
    let response: Response;
    try {
      for (let hop = 0; ; hop++) {
        response = await send(url, { method: cfg.method, headers: cfg.headers, body: cfg.body, verifyTls: cfg.tls_verify }, ctx.signal);
        const redirect = response.status >= 300 && response.status < 400 && response.location;
        if (!redirect || hop >= maxRedirects) break;
        url = new URL(response.location!, url);
      }
    } catch (error) {
      const ms = round1(performance.now() - started);
      const why = describeError(error, ctx.signal.aborted);
      return {
        level: 'CRITICAL',
        message: why,
        logMessage: `${why}: ${cfg.url} (${ms} ms)`,
        responseTimeMs: ms,
        details: { url: cfg.url },
      };
    }
    const ms = round1(performance.now() - started);
    const statusText = `HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
    const problems: { level: Level; text: string }[] = [];

    if (!statusMatches(response.status, cfg.expect.status as StatusRule | undefined)) {
      problems.push({ level: 'CRITICAL', text: '' }); // the status itself is the message
    }
    for (const miss of bodyMisses(response.body, cfg.expect)) problems.push({ level: 'CRITICAL', text: miss });
    if (cfg.expect.max_response_ms !== undefined && ms > cfg.expect.max_response_ms) {
      problems.push({ level: 'WARNING', text: `slow: ${ms} ms > ${cfg.expect.max_response_ms} ms` });
    }
    let certDaysLeft: number | undefined;
    if (response.certValidTo) {
      certDaysLeft = Math.floor((response.certValidTo.getTime() - ctx.now.getTime()) / DAY_MS);
      const limit = cfg.expect.cert_days ?? 14;
      if (certDaysLeft < limit) problems.push({ level: 'WARNING', text: `TLS certificate expires in ${certDaysLeft} day${certDaysLeft === 1 ? '' : 's'}` });
    }

    const texts = problems.map((p) => p.text).filter(Boolean);
    const message = [statusText, ...texts].join(', ');
    const truncatedNote = response.truncated ? ', body read up to 1 MiB' : '';
    return {
      level: worst(problems.map((p) => p.level)),
      message,
      logMessage: `${message} from ${cfg.url} (${ms} ms${truncatedNote})`,
      responseTimeMs: ms,
      details: {
        http_status: response.status,
        url: cfg.url,
        ...(certDaysLeft !== undefined ? { cert_days_left: certDaysLeft } : {}),
      },
      perf: [{ label: `${cfg.name}_time`, value: ms / 1000, uom: 's', min: 0 }],
    };
  },
});
