import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../errors.ts';

/**
 * The `sslmode` values tickflow implements, each as libpq documents it
 * (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION):
 * - `disable`: no TLS;
 * - `require`: TLS without checking the certificate, unless `sslrootcert` is given: then as `verify-ca`;
 * - `verify-ca`: TLS, the certificate signed by a CA of `sslrootcert`, any host name;
 * - `verify-full`: `verify-ca`, and the certificate names the host connected to.
 */
const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

/** The URL parameters read here; `pg` must not read them too (it gives `require` and `verify-ca` other meanings). */
const SSL_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;
export type SslParameter = (typeof SSL_PARAMETERS)[number];

/** Parameters `pg` would take that tickflow refuses, with what to write instead. */
const REFUSED_PARAMETERS: Readonly<Record<string, string>> = {
  ssl: "ssl is pg's, not libpq's: write sslmode=verify-full (with sslrootcert) or sslmode=require instead",
  uselibpqcompat: 'uselibpqcompat is not needed: tickflow always gives sslmode its libpq meaning; remove it',
  sslpassword: 'sslpassword is not supported: give sslkey an unencrypted key (openssl pkey -in key.pem -out plain.pem), readable only by tickflow',
};

/** `sslrootcert=system`: the trusted roots Node ships (Mozilla's list), as libpq's `system` uses OpenSSL's. */
const SYSTEM_ROOTS = 'system';

export interface PostgresConnection {
  /** DATABASE_URL without the TLS parameters. */
  readonly connectionString: string;
  /** For `pg`: `false` (no TLS) or the options of `tls.connect`. */
  readonly ssl: false | ConnectionOptions;
}

/** A TLS parameter of DATABASE_URL that cannot be used; `parameter` names it (`sslmode`, `ssl`, …). */
export class SslParameterError extends ConfigError {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(message);
    this.name = 'SslParameterError';
    this.parameter = parameter;
  }
}

/**
 * Reads the TLS parameters of a `postgres://` URL (and the files they name) into `pg`'s options.
 * Throws an SslParameterError for a mode tickflow does not implement, a file it cannot read, or
 * verification asked without a CA; its message never contains the URL.
 */
export function postgresConnection(url: string): PostgresConnection {
  const { base, params } = splitQuery(url);
  for (const [name, advice] of Object.entries(REFUSED_PARAMETERS)) {
    if (params.has(name)) throw new SslParameterError(name, advice);
  }
  const settings = Object.fromEntries(SSL_PARAMETERS.map((name) => [name, params.get(name) ?? undefined])) as Record<SslParameter, string | undefined>;
  for (const name of SSL_PARAMETERS) params.delete(name);
  const rest = params.toString();
  return { connectionString: rest ? `${base}?${rest}` : base, ssl: tlsOptions(settings) };
}

/**
 * The part before `?` as written (`new URL` would refuse forms `pg` takes, e.g. `postgres://u:p@/db`)
 * and the parameters after it.
 */
export function splitQuery(url: string): { base: string; params: URLSearchParams } {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return { base: url, params: new URLSearchParams() };
  return { base: url.slice(0, queryStart), params: new URLSearchParams(url.slice(queryStart + 1)) };
}

function tlsOptions(settings: Record<SslParameter, string | undefined>): false | ConnectionOptions {
  const { sslrootcert } = settings;
  const mode = sslMode(settings.sslmode, sslrootcert);
  if (mode === 'disable') return false;
  const ca = sslrootcert === undefined || sslrootcert === SYSTEM_ROOTS ? {} : { ca: pemFile('sslrootcert', sslrootcert, 'CERTIFICATE') };
  const client = clientCertificate(settings);
  if (mode === 'require' && sslrootcert === undefined) return { ...client, rejectUnauthorized: false };
  if (mode === 'verify-full') return { ...ca, ...client };
  if (sslrootcert === undefined) {
    throw new SslParameterError('sslrootcert', `sslmode=${mode} checks the server's certificate against a CA: give the CA file with sslrootcert=/path/to/ca.pem (or PGSSLROOTCERT)`);
  }
  // verify-ca, and require with a CA: the chain is checked, the name in the certificate is not.
  return { ...ca, ...client, checkServerIdentity: () => undefined };
}

function sslMode(value: string | undefined, sslrootcert: string | undefined): SslMode {
  if (value === undefined) return sslrootcert === SYSTEM_ROOTS ? 'verify-full' : 'disable';
  if (!(SSL_MODES as readonly string[]).includes(value)) {
    const why = value === 'prefer' || value === 'allow' ? ` (${value} falls back to an unencrypted connection, which tickflow does not do)` : '';
    throw new SslParameterError('sslmode', `sslmode=${value} is not supported${why}: use one of ${SSL_MODES.join(', ')}`);
  }
  const mode = value as SslMode;
  // libpq: sslrootcert=system only with verify-full, since any public CA could sign for another host.
  if (sslrootcert === SYSTEM_ROOTS && mode !== 'verify-full') {
    throw new SslParameterError('sslmode', `sslrootcert=system needs sslmode=verify-full (got sslmode=${mode})`);
  }
  return mode;
}

function clientCertificate(settings: Record<SslParameter, string | undefined>): Pick<ConnectionOptions, 'cert' | 'key'> {
  const { sslcert, sslkey } = settings;
  if (sslcert === undefined && sslkey === undefined) return {};
  if (sslcert === undefined || sslkey === undefined) {
    throw new SslParameterError(sslcert === undefined ? 'sslcert' : 'sslkey', 'a client certificate needs both sslcert and sslkey');
  }
  return { cert: pemFile('sslcert', sslcert, 'CERTIFICATE'), key: pemFile('sslkey', sslkey, 'PRIVATE KEY') };
}

function pemFile(parameter: SslParameter, path: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SslParameterError(parameter, `${parameter}: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const marker = kind === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!marker.test(text)) throw new SslParameterError(parameter, `${parameter}: ${JSON.stringify(path)} holds no PEM ${kind.toLowerCase()} (-----BEGIN ${kind}-----)`);
  return text;
}
