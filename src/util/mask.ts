// The one place secrets are masked: URL credentials, webhook paths, tokens, in any text the program writes.

/** Hosts whose URL path is itself the secret (incoming-webhook tokens). */
const SECRET_PATH_HOSTS = [
  /(^|\.)hooks\.slack\.com$/i,
  /(^|\.)discord(app)?\.com$/i,
  /(^|\.)hc-ping\.com$/i,
  /(^|\.)office\.com$/i,
];
/** First path segments of a webhook URL that only say what kind of hook it is (the token follows them). */
const HOOK_KIND = /^(services|api|webhooks?|webhookb2)$/i;
/**
 * Query keys whose value is a credential: signed URLs (S3, GCS, Azure SAS), OAuth flows, API keys. Compared
 * case-insensitively, `-` and `_` alike (docs/alerting-delivery.md "Secrets").
 */
const SECRET_QUERY_KEY_LIST = [
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'sig',
  'signature',
  'code',
  'access_token',
  'id_token',
  'refresh_token',
  'client_secret',
  'session_token',
  'api_key',
  'apikey',
  'key',
  'token',
  'auth',
  'authorization',
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'private_token',
  'private-token',
  'jwt',
  'assertion',
  'otp',
  'ticket',
  'sas',
  'se_token',
  'hmac',
];
const SECRET_QUERY_KEYS = new Set(SECRET_QUERY_KEY_LIST.map((key) => key.toLowerCase().replace(/-/g, '_')));
const isSecretQueryKey = (key: string) => SECRET_QUERY_KEYS.has(key.toLowerCase().replace(/-/g, '_'));
// `?code=…` or `&X-Amz-Signature=…` in free text (a URL cut short, a query string in a library's message)
const QUERY_PAIR = /([?&;])([A-Za-z][A-Za-z0-9_.-]*)=([^\s&#;"'<>]*)/g;
/** Placeholders the program's own hints use (`redis://:PASSWORD@host`): not secrets, and must stay readable. */
const PLACEHOLDER = /^(PASSWORD|PASS|TOKEN|SECRET|USER|\*\*\*)$/;

/**
 * Mask one URL: the password (or a lone user part, often a token) becomes `***`, a webhook token path becomes `/services/***`,
 * secret-looking query parameters become `***`. Not a URL → returned through maskText.
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return maskText(raw);
  }
  const hadAuth = url.username !== '' || url.password !== '';
  // `redis://:PASSWORD@host` in a hint of ours says how to write it: leave it as it is
  if (hadAuth && PLACEHOLDER.test(decodeURIComponent(url.password || url.username))) return raw;
  let path = url.pathname;
  if (SECRET_PATH_HOSTS.some((host) => host.test(url.hostname))) {
    const segments = path.split('/').filter(Boolean);
    // keep a first segment like `services` or `api` so the reader still sees what kind of hook it is; on other hosts
    // (hc-ping.com/<uuid>/fail) the first segment is itself the secret
    path =
      segments.length > 1 && HOOK_KIND.test(segments[0]!) ? `/${segments[0]}/***` : segments.length > 0 ? '/***' : path;
  }
  let query = '';
  if (url.search) {
    const params = [...url.searchParams].map(([k, v]) => `${k}=${isSecretQueryKey(k) ? '***' : v}`);
    query = `?${params.join('&')}`;
  }
  // Keep a user name next to a password (`app:***@`: it tells which account); a lone user part may be a token.
  const auth = !hadAuth ? '' : url.username && url.password ? `${url.username}:***@` : '***@';
  const host = url.host;
  const special = url.protocol === 'http:' || url.protocol === 'https:' || url.host !== '';
  return `${url.protocol}${special ? '//' : ''}${auth}${host}${path === '/' && !raw.endsWith('/') && !url.search ? '' : path}${query}${url.hash}`;
}

// scheme://user:pass@  or scheme://token@  inside free text
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// user:password@ in a URL, found even when the password holds characters that end URL_IN_TEXT (`(`, `"`, `'`, `<`);
// greedy up to the last `@` before the host, so a password with `@` in it is masked whole
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@(?=[^\s@/?#]+)/gi;
// PASSWORD=, PGPASSWORD=, secret_key:, "token": ... (keys with a prefix or a suffix too)
const KEY_VALUE =
  /\b([A-Za-z0-9_-]*(?:password|passwd|pwd|secret|token|api[_-]?key)(?:[_-][A-Za-z]+)?)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;

/** Mask every URL, bearer token and `password=...` pair found in free text (error messages, command output). */
export function maskText(text: string): string {
  const masked = text
    .replace(URL_IN_TEXT, (match) => {
      // trailing punctuation is not part of the URL
      const trail = /[.,;:!?]+$/.exec(match)?.[0] ?? '';
      const core = trail ? match.slice(0, -trail.length) : match;
      return (core.includes('://') && isParsable(core) ? maskUrl(core) : core) + trail;
    })
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      // already masked, or a placeholder in one of our hints
      if (PLACEHOLDER.test(userinfo.slice(userinfo.indexOf(':') + 1))) return `${scheme}${userinfo}@`;
      const colon = userinfo.indexOf(':');
      return `${scheme}${colon > 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
    })
    .replace(QUERY_PAIR, (match, lead: string, key: string, value: string) =>
      isSecretQueryKey(key) && value !== '***' ? `${lead}${key}=***` : match,
    )
    .replace(BEARER, '$1 ***')
    .replace(KEY_VALUE, '$1$2***');
  return maskKnown(masked);
}

/**
 * Strings the config marks secret wherever they are written (http and webhook header values, webhook paths,
 * command env values with secret-looking names): known only once the config is loaded (config/secrets.ts).
 */
const known = new Set<string>();
/** The known secrets by their first four characters, longest first: one map look-up per character of a text. */
const byPrefix = new Map<string, string[]>();
const PREFIX = 4;

/** Add strings no output may show; shorter than 4 characters they would mangle ordinary words and are left out. */
export function addKnownSecrets(values: Iterable<string>): void {
  for (const value of values) {
    if (value.length < PREFIX || PLACEHOLDER.test(value)) continue;
    for (const variant of new Set([value, encodeURIComponent(value)])) {
      if (known.has(variant)) continue;
      known.add(variant);
      const list = byPrefix.get(variant.slice(0, PREFIX)) ?? [];
      list.push(variant);
      list.sort((x, y) => y.length - x.length);
      byPrefix.set(variant.slice(0, PREFIX), list);
    }
  }
}

const WORD_CHAR = /[A-Za-z0-9]/;
/**
 * A secret counts where it is not glued to letters or digits around it: a webhook whose path is `hook` must not turn
 * the word "webhook" into "web***".
 */
function standsAlone(text: string, at: number, secret: string): boolean {
  const before = at > 0 && WORD_CHAR.test(text[at - 1]!) && WORD_CHAR.test(secret[0]!);
  const end = at + secret.length;
  const after = end < text.length && WORD_CHAR.test(text[end]!) && WORD_CHAR.test(secret.at(-1)!);
  return !before && !after;
}

/** Every known secret in `text` replaced by `***` (linear in the text, whatever the number of secrets). */
function maskKnown(text: string): string {
  if (known.size === 0) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i + PREFIX <= text.length; ) {
    const hit = byPrefix
      .get(text.slice(i, i + PREFIX))
      ?.find((secret) => text.startsWith(secret, i) && standsAlone(text, i, secret));
    if (!hit) {
      i++;
      continue;
    }
    out += `${text.slice(last, i)}***`;
    i += hit.length;
    last = i;
  }
  return last === 0 ? text : out + text.slice(last);
}

function isParsable(raw: string): boolean {
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}

/** Mask every string inside a JSON-like value (used for reports, history lines, webhook payloads). */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = maskDeep(item);
    return out as T;
  }
  return value;
}

/**
 * Replace known secret strings (a channel's password, webhook path, header values) with `***`, then mask the rest.
 * For error messages from libraries that may echo what they were given. Very short strings are left alone
 * (they would mangle ordinary words and are no secret worth the name).
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    try {
      variants.add(decodeURIComponent(secret));
    } catch {
      // not percent-encoded
    }
  }
  // longest first, so a whole URL is replaced before a part of it
  for (const secret of [...variants].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return maskText(out);
}
