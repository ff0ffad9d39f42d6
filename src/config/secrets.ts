// Which strings of a config are secret (docs/alerting-delivery.md "Secrets"): kept out of the config cache, and the
// ones no output may ever show. No YAML, no zod here: the run's cached-config path uses it.
import { addKnownSecrets, maskText } from '../util/mask.js';

export type Path = readonly (string | number)[];

/** Headers whose value says nothing secret (and masking `example.com` everywhere would hide URLs in messages). */
const PLAIN_HEADERS = new Set([
  'host',
  'accept',
  'accept-language',
  'accept-encoding',
  'content-type',
  'user-agent',
  'cache-control',
]);
/** Keys whose string value may carry a credential: URLs (user:pass, signed queries, webhook tokens), bodies, plugin argv. */
const CARRIER_KEYS = new Set(['url', 'urls', 'webhook', 'smtp', 'sendmail', 'body', 'command', 'env', 'headers']);
const SECRET_NAME = /pass|secret|token|key|auth|credential|cookie|session|signature/i;

/** A header value under `headers:` (of an http check or the webhook channel) that is not a plain one. */
function isSecretHeader(path: Path): boolean {
  const name = path.at(-1);
  return path.at(-2) === 'headers' && typeof name === 'string' && !PLAIN_HEADERS.has(name.toLowerCase());
}

/**
 * Never written to the config cache (it is re-read from the config text instead): any string under a key that can
 * carry a credential — URLs, headers, bodies, command arguments and env — and anything the masker would change.
 */
export function isCacheSecret(path: Path, value: string): boolean {
  if (path.some((step) => typeof step === 'string' && (CARRIER_KEYS.has(step) || SECRET_NAME.test(step)))) return true;
  return maskText(value) !== value;
}

/** The strings no log line, JSON, page, state file or alert may show, wherever they turn up. */
export function printSecrets(config: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      const name = path.at(-1);
      const envSecret = path.at(-2) === 'env' && typeof name === 'string' && SECRET_NAME.test(name);
      // serve.token: the log API's password, masked in anything serve answers (a log line quoting it included).
      const serveToken = path.length === 2 && path[0] === 'serve' && name === 'token';
      if (isSecretHeader(path) || envSecret || serveToken) out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    } else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(config, []);
  // the generic webhook's path and query are its token (a Slack URL's path is masked by its host)
  const webhook = (config as { alerts?: { webhook?: { url?: unknown } } })?.alerts?.webhook?.url;
  if (typeof webhook === 'string') out.push(...urlRest(webhook));
  // a channel's own secrets: a value whose key names one (pagerduty's routing_key, telegram's bot_token, ntfy's token),
  // and the path of a chat webhook (Discord's token, Teams' signed query)
  for (const [kind, channel] of Object.entries(obj((config as { alerts?: unknown })?.alerts))) {
    for (const [key, value] of Object.entries(obj(channel))) {
      if (typeof value !== 'string' || kind === 'webhook') continue;
      if (SECRET_NAME.test(key)) out.push(value);
      if (key === 'webhook') out.push(...urlRest(value));
    }
  }
  return out;
}

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A URL's path and query, and its path alone: where a webhook keeps its token. */
function urlRest(raw: string): string[] {
  try {
    const url = new URL(raw);
    const rest = `${url.pathname}${url.search}`.replace(/^\/+/, '');
    return rest ? [rest, url.pathname.replace(/^\/+/, '')] : [];
  } catch {
    return []; // the schema refuses a URL that does not parse
  }
}

/** Make every output of this process mask the config's secrets. */
export function protectSecrets(config: unknown): void {
  addKnownSecrets(printSecrets(config));
}
