// The host's fully qualified name for the default `From` (docs/alerting-delivery.md): relays with
// reject_non_fqdn_sender refuse `…@vm`, so the short name is only the last resort, with a WARNING that says so.
import { ADDRCONFIG, V4MAPPED } from 'node:dns';
import { lookup, lookupService } from 'node:dns/promises';
import { hostname } from 'node:os';

export interface MailHost {
  name: string;
  /** Set when no fully qualified name was found: the WARNING to log (once per run). */
  warning?: string;
}

const found = new Map<string, Promise<MailHost>>();

/** Resolves within `budgetMs` whatever the resolver does (a hung DNS server must not cost the page). */
function within<T>(promise: Promise<T>, budgetMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, Math.max(0, budgetMs), undefined)));
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

async function resolveMailHost(short: string, budgetMs: number): Promise<MailHost> {
  if (short.includes('.')) return { name: short };
  // The resolver's view: the host's own address (from /etc/hosts or DNS), then the name that address maps back to —
  // getnameinfo gives the canonical (first) name of an /etc/hosts line like `127.0.1.1 vm.example.com vm`.
  const started = performance.now();
  const left = () => budgetMs - (performance.now() - started);
  const address = await within(lookup(short, { hints: ADDRCONFIG | V4MAPPED }), left());
  if (address) {
    const named = await within(lookupService(address.address, 0), left());
    if (named?.hostname.includes('.') && named.hostname.toLowerCase().startsWith(`${short.toLowerCase()}.`))
      return { name: named.hostname };
  }
  return {
    name: short,
    warning: `email: the host name "${short}" is not fully qualified and the resolver knows no longer one; relays that check senders refuse ${short} addresses: set alerts.email.from to an address like health@${short}.example.com`,
  };
}

/** Looked up once per process: every message of a run has the same sender, and the WARNING is said once. */
export function mailHost(budgetMs: number, short = hostname()): Promise<MailHost> {
  let host = found.get(short);
  if (!host) found.set(short, (host = resolveMailHost(short, budgetMs)));
  return host;
}

/** The WARNING goes into the log once per run: the first message that used the short name takes it. */
export function takeWarning(host: MailHost): string | undefined {
  const warning = host.warning;
  delete host.warning;
  return warning;
}
