import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KAFKA_SASL_MECHANISMS, KAFKA_SECURITY_PROTOCOLS, usesSasl, usesTls, type KafkaSecurityOptions, type KafkaTlsOptions } from '../bus/kafka/security.ts';
import { ConfigError } from '../errors.ts';

/** The defaults of the variables below that have one (in config.ts's ENV_DEFAULTS). */
export const KAFKA_SECURITY_DEFAULTS = {
  KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT',
  KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION: 'false',
} as const;

/** The environment variables of Kafka's TLS and SASL (a fragment of config.ts's schema). */
export const KAFKA_SECURITY_VARIABLES = {
  KAFKA_SECURITY_PROTOCOL: z.enum(KAFKA_SECURITY_PROTOCOLS).default(KAFKA_SECURITY_DEFAULTS.KAFKA_SECURITY_PROTOCOL),
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional(),
  KAFKA_SASL_USERNAME: z.string().trim().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL_CA_FILE: z.string().trim().min(1).optional(),
  KAFKA_SSL_CERT_FILE: z.string().trim().min(1).optional(),
  KAFKA_SSL_KEY_FILE: z.string().trim().min(1).optional(),
  KAFKA_SSL_KEY_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION: z.enum(['true', 'false']).default(KAFKA_SECURITY_DEFAULTS.KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION),
};

/** Never echoed in an error, a log line or /status. */
export const KAFKA_SECRET_VARIABLES = ['KAFKA_SASL_PASSWORD', 'KAFKA_SSL_KEY_PASSWORD'] as const;

type Variables = z.infer<z.ZodObject<typeof KAFKA_SECURITY_VARIABLES>>;

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;
const TLS_VARIABLES = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE', 'KAFKA_SSL_KEY_PASSWORD'] as const;

/**
 * The security settings every Kafka client gets, checked as a whole: the settings a protocol needs
 * are there, the ones it would ignore are not, and the files are readable PEM that fit together.
 * Throws a ConfigError naming each wrong variable.
 */
export function kafkaSecurityFromEnv(env: Variables): KafkaSecurityOptions {
  const problems: string[] = [];
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  const sasl = usesSasl(protocol);
  for (const name of SASL_VARIABLES) {
    if (sasl && env[name] === undefined) problems.push(`${name}: required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    if (!sasl && env[name] !== undefined) problems.push(`${name}: is set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL (use SASL_SSL or SASL_PLAINTEXT)`);
  }
  if (!usesTls(protocol)) {
    for (const name of TLS_VARIABLES) if (env[name] !== undefined) problems.push(`${name}: is set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS (use SSL or SASL_SSL)`);
  }
  const tls = usesTls(protocol) ? tlsFromEnv(env, problems) : undefined;
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return {
    protocol,
    ...(sasl ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM!, username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! } } : {}),
    ...(tls ? { tls } : {}),
  };
}

function tlsFromEnv(env: Variables, problems: string[]): KafkaTlsOptions {
  const ca = pemFile('KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE, problems);
  if (ca !== undefined) certificates('KAFKA_SSL_CA_FILE', ca, problems);
  const cert = pemFile('KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE, problems);
  const key = pemFile('KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE, problems);
  if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
    const missing = env.KAFKA_SSL_CERT_FILE === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    problems.push(`${missing}: required with ${missing === 'KAFKA_SSL_CERT_FILE' ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE'} (a client certificate and its private key go together)`);
  }
  if (env.KAFKA_SSL_KEY_PASSWORD !== undefined && env.KAFKA_SSL_KEY_FILE === undefined) problems.push('KAFKA_SSL_KEY_PASSWORD: is set without KAFKA_SSL_KEY_FILE');
  if (cert !== undefined && key !== undefined) checkClientCertificate(cert, key, env.KAFKA_SSL_KEY_PASSWORD, problems);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(env.KAFKA_SSL_KEY_PASSWORD !== undefined ? { keyPassword: env.KAFKA_SSL_KEY_PASSWORD } : {}),
    verifyServerName: env.KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION === 'false',
  };
}

function pemFile(variable: string, path: string | undefined, problems: string[]): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${variable}: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  if (!text.includes('-----BEGIN ')) {
    problems.push(`${variable}: ${JSON.stringify(path)} is not a PEM file (expected -----BEGIN ... blocks)`);
    return undefined;
  }
  return text;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certificates(variable: string, text: string, problems: string[]): X509Certificate[] {
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) problems.push(`${variable}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const parsed: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      parsed.push(new X509Certificate(block));
    } catch {
      problems.push(`${variable}: holds a certificate that cannot be parsed`);
    }
  }
  return parsed;
}

function checkClientCertificate(certText: string, keyText: string, password: string | undefined, problems: string[]): void {
  const [certificate] = certificates('KAFKA_SSL_CERT_FILE', certText, problems);
  const key = privateKey(keyText, password, problems);
  if (!certificate || !key) return;
  if (!certificate.checkPrivateKey(key)) problems.push('KAFKA_SSL_KEY_FILE: is not the private key of the certificate in KAFKA_SSL_CERT_FILE');
  if (Date.parse(certificate.validTo) < Date.now()) problems.push(`KAFKA_SSL_CERT_FILE: the client certificate expired on ${new Date(certificate.validTo).toISOString()}`);
}

function privateKey(text: string, password: string | undefined, problems: string[]): KeyObject | undefined {
  try {
    return createPrivateKey({ key: text, format: 'pem', ...(password !== undefined ? { passphrase: password } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const encrypted = /ENCRYPTED/.test(text);
    if (encrypted && password === undefined) problems.push('KAFKA_SSL_KEY_PASSWORD: required: the key in KAFKA_SSL_KEY_FILE is encrypted');
    else if (encrypted) problems.push('KAFKA_SSL_KEY_PASSWORD: does not decrypt the key in KAFKA_SSL_KEY_FILE');
    else problems.push(`KAFKA_SSL_KEY_FILE: holds no readable private key (${code || 'unsupported format'})`);
    return undefined;
  }
}
