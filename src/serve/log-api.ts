// `/api/logs/*`: `logs summary|errors|cleanup` over HTTP, plus one file's tail and error analytics, for the holder
// of the bearer token only (docs/serve.md "Log API"). Files are found by listing log_sources, never by opening a
// path built from the request: a name is looked up among the listed files, so `..` or a symlink leads nowhere.
import { createHash, timingSafeEqual } from 'node:crypto';
import { basename } from 'node:path';
import { cleanupAnswer, errorsAnswer, summaryAnswer } from '../logs/answers.js';
import { cleanupRotated } from '../logs/cleanup.js';
import { scanErrors } from '../logs/errors.js';
import { isGzip } from '../logs/rotation.js';
import { discoverLogs, type FileInfo, type LogSources } from '../logs/sources.js';
import { summarizeLogs } from '../logs/summary.js';
import { maskText } from '../util/mask.js';
import { localIso } from '../util/time.js';
import { json, type Answer } from './health-answers.js';
import { rateLimit } from './rate-limit.js';
import { tailFile } from './tail.js';
import { codeOf, messageOf } from '../util/errors.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface LogRequest {
  method: string;
  /** The path after /api/logs/, without its trailing slash: `summary`, `file/NAME`, … */
  route: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export interface LogApi {
  handle(request: LogRequest): Promise<Answer>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests, so neither the token's length nor its first wrong byte shows in the time an answer takes. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

class BadRequest extends Error {}

function number(query: URLSearchParams, name: string, fallback: number, max: number, integer = false): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0) || value > max || (integer && !Number.isInteger(value))) {
    throw new BadRequest(
      `${name}: expected ${integer ? 'a whole number' : 'a number'} above 0 and at most ${max}, like ${fallback}`,
    );
  }
  return value;
}

export function logApi(options: { token: string | undefined; patterns: readonly string[] }): LogApi {
  const { token, patterns } = options;
  // 30 at once, then one a second: enough for a person or a dashboard, too few to guess a token or grind the disk.
  const limit = rateLimit(30, 1);
  const sources = (): LogSources => discoverLogs(patterns);

  const routes: Record<string, { method: string; run(query: URLSearchParams): Promise<Answer> }> = {
    summary: {
      method: 'GET',
      async run() {
        const found = sources();
        return json(200, summaryAnswer(await summarizeLogs(found), found));
      },
    },
    errors: {
      method: 'GET',
      async run(query) {
        const hours = number(query, 'hours', 1, 24 * 90);
        const now = new Date();
        const since = now.getTime() - hours * HOUR;
        const found = sources();
        return json(200, errorsAnswer(hours, since, await scanErrors(found, since, now), found));
      },
    },
    analytics: {
      method: 'GET',
      async run(query) {
        const hours = number(query, 'hours', 24, 24 * 7, true);
        return json(200, await analytics(sources(), hours));
      },
    },
    cleanup: {
      method: 'DELETE',
      async run(query) {
        const days = number(query, 'days', 7, 3650);
        const dryRun = ['1', 'true', 'yes'].includes(query.get('dry_run') ?? '');
        const found = sources();
        const result = cleanupRotated(found, Date.now() - days * DAY, dryRun);
        return json(result.failed.length ? 500 : 200, cleanupAnswer(days, dryRun, result, found));
      },
    },
  };

  const fileRoute = async (name: string, query: URLSearchParams): Promise<Answer> => {
    const lines = number(query, 'lines', 100, 5000, true);
    const found = sources();
    const files: FileInfo[] = found.logs.flatMap((log) => [...(log.missing ? [] : [log]), ...log.rotated]);
    // By its file name, or by its whole path as listed; anything else is simply not one of the files.
    const matches = files.filter((file) => file.path === name || basename(file.path) === name);
    if (matches.length === 0) {
      return json(404, {
        error: `no log file named "${maskText(name)}" in log_sources`,
        files: files.map((file) => basename(file.path)),
      });
    }
    if (matches.length > 1)
      return json(409, {
        error: `"${name}" names several files: ask for one by its whole path`,
        paths: matches.map((f) => f.path),
      });
    const file = matches[0]!;
    if (isGzip(file.path) || /\.(bz2|xz|zst|lz4|Z|zip)$/.test(file.path))
      return json(415, { error: `${file.path} is compressed; read it on the host` });
    try {
      const tail = tailFile(file, lines);
      return json(200, {
        path: file.path,
        size: tail.size,
        lines: tail.lines.length,
        truncated: tail.truncated,
        text: tail.lines.map(maskText),
      });
    } catch (error) {
      return json(500, { error: `cannot read ${file.path}: ${codeOf(error) ?? messageOf(error)}` });
    }
  };

  return {
    async handle(request) {
      if (token === undefined) {
        return json(404, {
          error: 'the log API is off: set serve.token or serve.token_file in the config to turn it on',
        });
      }
      const allowed = limit.take();
      if (allowed !== true)
        return {
          ...json(429, { error: 'too many log API requests; try again later', retry_after_s: allowed }),
          headers: { 'retry-after': String(allowed) },
        };
      const header = request.authorization ?? '';
      const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
      if (bearer === undefined)
        return {
          ...json(401, { error: 'the log API needs Authorization: Bearer TOKEN (serve.token)' }),
          headers: { 'www-authenticate': 'Bearer realm="neuronova-health-check"' },
        };
      if (!tokenMatches(bearer, token)) return json(403, { error: 'wrong token' });
      try {
        if (request.route.startsWith('file/')) {
          if (request.method !== 'GET' && request.method !== 'HEAD')
            return {
              ...json(405, { error: `${request.method} is not allowed here` }),
              headers: { allow: 'GET, HEAD' },
            };
          let name: string;
          try {
            name = decodeURIComponent(request.route.slice('file/'.length));
          } catch {
            throw new BadRequest('the file name is not valid percent-encoding');
          }
          return await fileRoute(name, request.query);
        }
        const route = routes[request.route];
        if (!route)
          return json(404, {
            error: 'no such log API route',
            routes: ['summary', 'errors?hours=N', 'file/NAME?lines=N', 'analytics', 'DELETE cleanup?days=N'],
          });
        const methodOk = request.method === route.method || (route.method === 'GET' && request.method === 'HEAD');
        if (!methodOk)
          return {
            ...json(405, { error: `${request.method} is not allowed here` }),
            headers: { allow: route.method === 'GET' ? 'GET, HEAD' : route.method },
          };
        return await route.run(request.query);
      } catch (error) {
        if (error instanceof BadRequest) return json(400, { error: error.message });
        throw error;
      }
    },
  };
}

/** Error lines of the last `hours`, per hour (every hour listed, oldest first) and per live log (rotated copies in it). */
async function analytics(found: LogSources, hours: number) {
  const now = new Date();
  const since = now.getTime() - hours * HOUR;
  const scan = await scanErrors(found, since, now);
  const liveOf = new Map<string, string>();
  for (const log of found.logs) {
    liveOf.set(log.path, log.path);
    for (const copy of log.rotated) liveOf.set(copy.path, log.path);
  }
  const firstHour = Math.floor(since / HOUR) * HOUR;
  const perHour = Array.from({ length: Math.floor(now.getTime() / HOUR) - firstHour / HOUR + 1 }, () => 0);
  const perSource = new Map<string, number>();
  for (const entry of scan.entries) {
    perHour[Math.floor((entry.time - firstHour) / HOUR)]! += 1;
    const source = liveOf.get(entry.file) ?? entry.file;
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
  }
  return {
    hours,
    since: localIso(new Date(since)),
    total: scan.entries.length,
    per_hour: perHour.map((errors, i) => ({ hour: localIso(new Date(firstHour + i * HOUR)), errors })),
    per_source: [...perSource].sort((a, b) => b[1] - a[1]).map(([file, errors]) => ({ file, errors })),
    untimed: scan.untimed,
    unreadable: scan.unreadable,
  };
}
