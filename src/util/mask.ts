// The one place secrets are masked: URL credentials, webhook paths, tokens, in any text the program writes.

/** Hosts whose URL path is itself the secret (incoming-webhook tokens). */
const SECRET_PATH_HOSTS = [/(^|\.)hooks\.slack\.com$/i, /(^|\.)discord(app)?\.com$/i, /(^|\.)hc-ping\.com$/i, /(^|\.)office\.com$/i];
const SECRET_QUERY_KEYS = /^(token|key|apikey|api_key|access_token|secret|password|pass|pwd|auth|signature|sig)$/i;

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
  let path = url.pathname;
  if (SECRET_PATH_HOSTS.some((host) => host.test(url.hostname))) {
    const segments = path.split('/').filter(Boolean);
    // keep the first segment (`services`, `api`) so the reader still sees what kind of hook it is
    path = segments.length > 1 ? `/${segments[0]}/***` : segments.length === 1 ? '/***' : path;
  }
  let query = '';
  if (url.search) {
    const params = [...url.searchParams].map(([k, v]) => `${k}=${SECRET_QUERY_KEYS.test(k) ? '***' : v}`);
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
const KEY_VALUE = /\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;

/** Mask every URL, bearer token and `password=...` pair found in free text (error messages, command output). */
export function maskText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (match) => {
      // trailing punctuation is not part of the URL
      const trail = /[.,;:!?]+$/.exec(match)?.[0] ?? '';
      const core = trail ? match.slice(0, -trail.length) : match;
      return (core.includes('://') && isParsable(core) ? maskUrl(core) : core) + trail;
    })
    .replace(BEARER, '$1 ***')
    .replace(KEY_VALUE, '$1$2***');
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
