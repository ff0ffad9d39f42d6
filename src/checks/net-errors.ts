// Shared by the datastore checks: plain words for socket/TLS errors, and a promise that gives up when the check is stopped.
import { say } from '../i18n/index.js';
import { codeOf } from '../util/errors.js';

const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A TLS certificate the check refused (whatever language describeNetError words it in): worth a tls_verify hint. */
export function isCertificateProblem(error: unknown): boolean {
  return CERTIFICATE_CODES.has(codeOf(error) ?? '');
}

/** Plain words for the network and TLS errors a client library passes up, or undefined when it is not one of them. */
export function describeNetError(error: unknown): string | undefined {
  const code = codeOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return say.check.net.refused;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return say.check.net.hostNotFound;
    case 'ECONNRESET':
    case 'EPIPE':
      return say.check.net.reset;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return say.check.net.unreachable;
    case 'ETIMEDOUT':
      return say.check.net.timedOut;
    case 'ENOENT':
      return say.check.net.socketNotFound;
    case 'EACCES':
      return say.check.net.socketDenied;
    case 'CERT_HAS_EXPIRED':
      return say.check.net.certExpired;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return say.check.net.selfSigned;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return say.check.net.untrusted;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return say.check.net.wrongHost;
    default:
      return undefined;
  }
}

/**
 * Resolves or rejects with `promise`, or rejects as soon as `signal` aborts. Client libraries do not always settle a
 * pending connect when their socket is destroyed; the check must still return so the engine can move on.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
