// Test helper: a self-signed TLS certificate for localhost / 127.0.0.1, made with the openssl program.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findBinary, skipUnless } from './binaries.js';

export const OPENSSL = findBinary('openssl');
export const opensslSkip = skipUnless(OPENSSL !== undefined, 'openssl', 'openssl');

export interface CertFiles {
  cert: string;
  key: string;
}

/** Writes cert.pem and key.pem (mode 0600) into `dir`. */
export function makeSelfSigned(dir: string): CertFiles {
  if (!OPENSSL) throw new Error('openssl not found: install the Debian package openssl');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    OPENSSL,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}
