// Following an http check's redirects the way curl and browsers do (docs/http-redirects.md): configured headers and
// URL credentials never leave the origin they were configured for, only http(s) is followed, loops and chains end.
import { say } from '../i18n/index.js';

/** Redirects followed with `follow_redirects: true` (a number sets another limit, up to 20). */
export const DEFAULT_MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface Hop {
  url: URL;
  method: string;
  body?: string | undefined;
  /** The configured headers, as long as the request has not left the configured origin. */
  headers: Record<string, string>;
}

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** A URL as it may be shown: no credentials, no query (signed URLs carry secrets there). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Tracks one check's chain of requests: which were made, whether it left the configured origin. */
export class RedirectChain {
  private readonly seen = new Set<string>();
  private readonly origin: string;
  /** Once true, stays true: a chain that came back to the origin through another host does not get the secrets back. */
  leftOrigin = false;
  followed = 0;

  constructor(
    private readonly first: Hop,
    readonly limit: number,
  ) {
    this.origin = first.url.origin;
    this.seen.add(requestKey(first));
  }

  /** The next request for a redirect answered to `current`, or why it is not followed (a CRITICAL message). */
  next(current: Hop, status: number, location: string): Hop | { refused: string } {
    if (this.followed >= this.limit) return { refused: say.check.http.tooManyRedirects(this.limit) };
    let url: URL;
    try {
      url = new URL(location, current.url);
    } catch {
      return { refused: say.check.http.invalidRedirect };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { refused: say.check.http.redirectProtocol(url.protocol.slice(0, -1)) };
    }
    // scheme, host and port: a change of any of them is another origin (curl drops credentials on each since 7.83)
    if (url.origin !== this.origin) this.leftOrigin = true;
    if (this.leftOrigin) {
      url.username = '';
      url.password = '';
    } else if (!url.username && this.first.url.username) {
      // same origin, absolute Location without credentials: they are still the configured host's
      url.username = this.first.url.username;
      url.password = this.first.url.password;
    }
    // 303, and 301/302 after a POST, turn into a GET without the body (as browsers and curl do); 307/308 keep both.
    const toGet =
      (status === 303 && current.method !== 'HEAD') ||
      ((status === 301 || status === 302) && current.method === 'POST');
    let headers = this.leftOrigin ? {} : this.first.headers;
    if (toGet) headers = withoutBodyHeaders(headers);
    const hop: Hop = { url, method: toGet ? 'GET' : current.method, body: toGet ? undefined : current.body, headers };
    const key = requestKey(hop);
    if (this.seen.has(key)) return { refused: say.check.http.redirectLoop(shownUrl(url)) };
    this.seen.add(key);
    this.followed++;
    return hop;
  }
}

function requestKey(hop: Hop): string {
  return `${hop.method} ${shownUrl(hop.url)}${hop.url.search}`;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^content-(type|length|encoding)$/i.test(name)),
  );
}
