import { isIP } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { SASLOptions } from '@platformatic/kafka';
import { z } from 'zod';

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

/** OAUTHBEARER is left out: the client takes a fixed token, and tokens expire while a processor runs. */
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSaslCredentials {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** PEM texts (not paths). */
export interface KafkaTlsOptions {
  /** The authorities the broker's certificate must chain to; default Node.js's bundled public CAs. */
  readonly ca?: string;
  /** A client certificate (mutual TLS) and its key, with the key's passphrase when it is encrypted. */
  readonly cert?: string;
  readonly key?: string;
  readonly keyPassword?: string;
  /**
   * Whether the broker's certificate must name the host connected to (default true). Turning it off
   * lets anyone with a certificate from the same CA pose as the broker.
   */
  readonly verifyServerName?: boolean;
}

/** How every client reaches the brokers: `sasl` for SASL_*, `tls` for SSL and SASL_SSL. */
export interface KafkaSecurityOptions {
  readonly protocol: KafkaSecurityProtocol;
  readonly sasl?: KafkaSaslCredentials;
  readonly tls?: KafkaTlsOptions;
}

export const PLAINTEXT: KafkaSecurityOptions = { protocol: 'PLAINTEXT' };

const pem = z.string().min(1);

export const kafkaSecuritySchema = z
  .strictObject({
    protocol: z.enum(KAFKA_SECURITY_PROTOCOLS, { error: `must be one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}` }),
    sasl: z
      .strictObject({
        mechanism: z.enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` }),
        username: z.string().min(1),
        password: z.string().min(1),
      })
      .optional(),
    tls: z
      .strictObject({ ca: pem.optional(), cert: pem.optional(), key: pem.optional(), keyPassword: z.string().optional(), verifyServerName: z.boolean().optional() })
      .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), 'cert and key go together')
      .optional(),
  })
  .refine((security) => usesSasl(security.protocol) === (security.sasl !== undefined), {
    path: ['sasl'],
    error: 'is required with SASL_PLAINTEXT and SASL_SSL, and not allowed otherwise',
  })
  .refine((security) => usesTls(security.protocol) || security.tls === undefined, { path: ['tls'], error: 'needs SSL or SASL_SSL' })
  .default(PLAINTEXT);

export function usesSasl(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

export function usesTls(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

/** The part of every @platformatic/kafka client's options that says where and how to connect. */
export interface KafkaClientConnection {
  readonly bootstrapBrokers: string[];
  readonly tls?: TlsOptions;
  readonly tlsServerName?: boolean;
  readonly sasl?: SASLOptions;
}

/** The one place the brokers and the security settings become client options; every client spreads it. */
export function clientConnection(brokers: readonly string[], security: KafkaSecurityOptions): KafkaClientConnection {
  const tls = usesTls(security.protocol) ? tlsOptions(security.tls ?? {}) : undefined;
  return {
    bootstrapBrokers: [...brokers],
    ...(tls ? { tls, tlsServerName: sendsServerName(brokers) } : {}),
    ...(security.sasl ? { sasl: { ...security.sasl } } : {}),
  };
}

function tlsOptions(tls: KafkaTlsOptions): TlsOptions {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.keyPassword ? { passphrase: tls.keyPassword } : {}),
    ...(tls.verifyServerName === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

/**
 * SNI (which managed clusters route on) is sent only when the brokers are named: Node.js does not send
 * it by itself, and an IP address as server name is against RFC 6066 (and warns).
 */
function sendsServerName(brokers: readonly string[]): boolean {
  return brokers.every((broker) => isIP(hostOf(broker)) === 0);
}

function hostOf(broker: string): string {
  const host = broker.slice(0, broker.lastIndexOf(':'));
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
