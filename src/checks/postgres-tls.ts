// libpq's `sslmode` for the postgres check: which connection attempts to make, with which TLS settings, in which order.
import { readFileSync } from 'node:fs';
import type { PlainTls } from '../probes/protocol.js';
import { messageOf } from '../util/errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** URL parameters that are about TLS; they are taken out of the URL and turned into node TLS options here. */
const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl'];

/** One connection attempt; when it fails in a way the next may cure (libpq's fallbacks), the next is tried. */
export interface Attempt {
  /** false: plain TCP; otherwise TLS options as plain data (the connection is made in a worker thread). */
  ssl: false | PlainTls;
}

export interface TlsPlan {
  mode: SslMode;
  /** The URL without the TLS parameters (pg would apply its own, different sslmode rules to them). */
  connectionString: string;
  attempts: Attempt[];
}

/**
 * libpq's meaning of sslmode (https://www.postgresql.org/docs/current/libpq-ssl.html), which is what operators know
 * from psql and Django; pg's own reading of `sslmode=require` differs (it verifies the certificate).
 * No sslmode in the URL → PGSSLMODE → `prefer`, like libpq.
 */
export function planTls(url: string, env: NodeJS.ProcessEnv = process.env): TlsPlan {
  const parsed = new URL(url);
  const given = parsed.searchParams.get('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  const mode: SslMode = (SSL_MODES as readonly string[]).includes(given) ? (given as SslMode) : 'prefer';
  const rootCert = parsed.searchParams.get('sslrootcert') ?? undefined;
  const clientCert = parsed.searchParams.get('sslcert') ?? undefined;
  const clientKey = parsed.searchParams.get('sslkey') ?? undefined;
  for (const key of TLS_PARAMS) parsed.searchParams.delete(key);

  const common: PlainTls = {
    ...(clientCert ? { cert: readFileSync(clientCert, 'utf8') } : {}),
    ...(clientKey ? { key: readFileSync(clientKey, 'utf8') } : {}),
  };
  // sslrootcert=system (libpq 16) means the system's CAs, which is node's default.
  const ca = rootCert && rootCert !== 'system' ? { ca: readFileSync(rootCert, 'utf8') } : {};
  const encryptOnly: PlainTls = { ...common, rejectUnauthorized: false };
  const verifyChain: PlainTls = { ...common, ...ca, verifyHostname: false };
  const verifyFull: PlainTls = { ...common, ...ca };

  const attempts: Attempt[] = {
    disable: [{ ssl: false as const }],
    allow: [{ ssl: false as const }, { ssl: encryptOnly }],
    prefer: [{ ssl: encryptOnly }, { ssl: false as const }],
    // libpq: with a root certificate given, require behaves like verify-ca.
    require: [{ ssl: rootCert ? verifyChain : encryptOnly }],
    'verify-ca': [{ ssl: verifyChain }],
    'verify-full': [{ ssl: verifyFull }],
  }[mode];
  return { mode, connectionString: parsed.toString(), attempts };
}

/** Whether libpq would try the next attempt after this error: the server refused TLS (prefer) or wants it (allow). */
export function worthNextAttempt(mode: SslMode, error: unknown): boolean {
  const message = messageOf(error);
  if (mode === 'prefer') return /does not support SSL|error establishing an SSL connection/i.test(message);
  if (mode === 'allow') return (error as { code?: string })?.code === '28000' && /no encryption/i.test(message);
  return false;
}
