import { STORE_ERROR_CODES, StoreError } from './store-error.ts';

/** Node's codes for a server certificate no trusted CA signed (OpenSSL's X509_V_ERR_* names). */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const CERTIFICATE_DATES: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  CERT_NOT_YET_VALID: "the server's TLS certificate is not valid yet",
};

/** `pg`'s words when the server answers the TLS request with no. */
const NO_TLS = 'The server does not support SSL connections';

/**
 * Why a connection to PostgreSQL failed, as a StoreError whose message says what to change. TLS
 * failures cannot pass by themselves (`canRetry` false); the rest may (the server restarting).
 * `where` is the URL without its password; nothing else of DATABASE_URL is shown.
 */
export function connectFailure(error: unknown, where: string): StoreError {
  const tls = tlsProblem(error as NodeJS.ErrnoException);
  const reason = tls ?? otherProblem(error as NodeJS.ErrnoException & { severity?: string });
  return new StoreError(STORE_ERROR_CODES.UNAVAILABLE, `cannot reach PostgreSQL at ${where}: ${reason}`, { canRetry: tls === null, cause: error });
}

function tlsProblem(error: NodeJS.ErrnoException): string | null {
  const code = error.code ?? '';
  if (error.message === NO_TLS) return 'the server does not accept TLS connections, and sslmode asks for TLS';
  if (UNTRUSTED.has(code)) return `the server's TLS certificate is not signed by a CA tickflow trusts (${code}): give the CA that signed it with sslrootcert=/path/to/ca.pem`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's TLS certificate is not for the host in DATABASE_URL (${error.message}): connect by a name the certificate lists`;
  if (CERTIFICATE_DATES[code]) return `${CERTIFICATE_DATES[code]} (${code})`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `the TLS handshake failed: ${error.message} (${code})`;
  return null;
}

function otherProblem(error: NodeJS.ErrnoException & { severity?: string }): string {
  // The server's own refusal (pg_hba.conf, authentication) says more than its SQLSTATE alone.
  if (error.severity && error.code) return `${error.message} (SQLSTATE ${error.code})`;
  return error.code ?? error.message;
}
