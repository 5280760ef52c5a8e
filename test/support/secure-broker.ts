import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SASLOptions } from '@platformatic/kafka';
import { freePort } from './cli.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECURE_BROKER_SH = join(ROOT, 'scripts', 'kafka', 'secure-broker.sh');
const TLS_SH = join(ROOT, 'scripts', 'kafka', 'tls.sh');
const LIBS = join(ROOT, '.kafka', 'libs');

const LISTENERS = ['saslSsl', 'ssl', 'expired', 'mismatch', 'controller'] as const;
type Listener = (typeof LISTENERS)[number];

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslCredentials {
  readonly mechanism: ScramMechanism | 'PLAIN';
  readonly username: string;
  readonly password: string;
}

export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What a @platformatic/kafka client needs to reach the broker (spread into Admin/Producer/Consumer options). */
export interface ClientConnection {
  readonly bootstrapBrokers: string[];
  readonly tls: { ca: Buffer; cert?: Buffer; key?: Buffer };
  readonly sasl?: SASLOptions;
}

export interface SecureBrokerOptions {
  /** SCRAM users made when storage is formatted (both mechanisms), name → password. */
  readonly users?: Readonly<Record<string, string>>;
}

/**
 * A broker of its own with TLS, SASL and the ACL authorizer (scripts/kafka/secure-broker.sh), on
 * free ports, with its own certificate authority, sharing the plaintext broker's jars. Start one per
 * test file: it takes 20–30 s on two cores.
 *
 * - `saslSslBrokers`: SASL_SSL, SCRAM-SHA-256/512 and PLAIN (PLAIN knows only admin).
 * - `sslBrokers`: TLS with a client certificate required; the certificate's CN is the principal.
 * - `expiredBrokers`, `mismatchBrokers`: TLS with an expired certificate, and with one for another host.
 * - `admin` is a super user; everyone else needs ACLs (allow.everyone.if.no.acl.found=false).
 */
export class SecureBroker {
  readonly home = mkdtempSync(join(tmpdir(), 'tickflow-secure-broker-'));
  readonly adminCredentials: SaslCredentials = { mechanism: 'SCRAM-SHA-512', username: 'admin', password: `admin-${randomBytes(12).toString('hex')}` };
  #ports: Record<Listener, number> = { saslSsl: 0, ssl: 0, expired: 0, mismatch: 0, controller: 0 };

  private constructor() {}

  static async start(options: SecureBrokerOptions = {}): Promise<SecureBroker> {
    const broker = new SecureBroker();
    try {
      await broker.#start(options);
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  get tlsDir(): string {
    return join(this.home, 'tls');
  }

  /** The CA that signed the broker's certificates (and `clientCertificate`'s). */
  get caFile(): string {
    return join(this.tlsDir, 'ca.pem');
  }

  get saslSslBrokers(): string {
    return `127.0.0.1:${this.#ports.saslSsl}`;
  }

  get sslBrokers(): string {
    return `127.0.0.1:${this.#ports.ssl}`;
  }

  get expiredBrokers(): string {
    return `127.0.0.1:${this.#ports.expired}`;
  }

  get mismatchBrokers(): string {
    return `127.0.0.1:${this.#ports.mismatch}`;
  }

  async #start(options: SecureBrokerOptions): Promise<void> {
    for (const listener of LISTENERS) this.#ports[listener] = await freePort();
    const users = Object.entries(options.users ?? {}).map(([name, password]) => `${name}:${password}`);
    await run('bash', [SECURE_BROKER_SH, 'start'], { env: { ...this.#env(), KAFKA_SCRAM_USERS: users.join(' ') }, timeout: 180_000 });
  }

  #env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KAFKA_BROKERS: '',
      KAFKA_HOME: this.home,
      KAFKA_LIBS: LIBS,
      KAFKA_PORT: String(this.#ports.saslSsl),
      KAFKA_SSL_PORT: String(this.#ports.ssl),
      KAFKA_EXPIRED_PORT: String(this.#ports.expired),
      KAFKA_MISMATCH_PORT: String(this.#ports.mismatch),
      KAFKA_CONTROLLER_PORT: String(this.#ports.controller),
      KAFKA_ADMIN_PASSWORD: this.adminCredentials.password,
    };
  }

  /** A client certificate with CN=`name` (principal User:`name` on the SSL listener), signed by the broker's CA. */
  async clientCertificate(name: string, validity: 'valid' | 'expired' = 'valid'): Promise<CertificateFiles> {
    await run('bash', [TLS_SH, 'issue', this.tlsDir, name, '', ...(validity === 'expired' ? ['expired'] : [])]);
    return { certFile: join(this.tlsDir, `${name}.pem`), keyFile: join(this.tlsDir, `${name}.key`) };
  }

  /** The CA file of another authority, which signed none of this broker's certificates. */
  async foreignCaFile(): Promise<string> {
    await run('bash', [TLS_SH, 'ca', this.#foreignDir]);
    return join(this.#foreignDir, 'ca.pem');
  }

  /** A client certificate with CN=`name` from that other authority, which the broker does not trust. */
  async foreignClientCertificate(name: string): Promise<CertificateFiles> {
    await this.foreignCaFile();
    await run('bash', [TLS_SH, 'issue', this.#foreignDir, name]);
    return { certFile: join(this.#foreignDir, `${name}.pem`), keyFile: join(this.#foreignDir, `${name}.key`) };
  }

  get #foreignDir(): string {
    return join(this.home, 'foreign-ca');
  }

  /** Adds (or changes) a SCRAM user on the running broker, with Kafka's own ConfigCommand as admin. */
  async addScramUser(name: string, password: string, mechanism: ScramMechanism = 'SCRAM-SHA-512'): Promise<SaslCredentials> {
    const properties = join(this.home, 'admin-client.properties');
    writeFileSync(properties, javaClientProperties(this.adminCredentials, this.caFile), { mode: 0o600 });
    await run(
      'java',
      ['-Xmx128m', '-cp', `${LIBS}/*`, 'kafka.admin.ConfigCommand', '--bootstrap-server', this.saslSslBrokers, '--command-config', properties,
        '--alter', '--entity-type', 'users', '--entity-name', name, '--add-config', `${mechanism}=[password=${password}]`],
      { timeout: 60_000 },
    );
    return { mechanism, username: name, password };
  }

  /** Connection options for a @platformatic/kafka client over SASL_SSL (default: as admin). */
  saslSslConnection(credentials: SaslCredentials = this.adminCredentials): ClientConnection {
    return { bootstrapBrokers: [this.saslSslBrokers], tls: { ca: readFileSync(this.caFile) }, sasl: { ...credentials } };
  }

  /** Connection options for a @platformatic/kafka client over mutual TLS with `certificate`. */
  sslConnection(certificate: CertificateFiles): ClientConnection {
    return {
      bootstrapBrokers: [this.sslBrokers],
      tls: { ca: readFileSync(this.caFile), cert: readFileSync(certificate.certFile), key: readFileSync(certificate.keyFile) },
    };
  }

  /** tickflow's environment for SASL_SSL with `credentials` (default: admin). */
  saslSslEnv(credentials: SaslCredentials = this.adminCredentials): Record<string, string> {
    return {
      KAFKA_BROKERS: this.saslSslBrokers,
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: credentials.mechanism,
      KAFKA_SASL_USERNAME: credentials.username,
      KAFKA_SASL_PASSWORD: credentials.password,
      KAFKA_SSL_CA_FILE: this.caFile,
    };
  }

  /** tickflow's environment for mutual TLS with `certificate`. */
  sslEnv(certificate: CertificateFiles): Record<string, string> {
    return {
      KAFKA_BROKERS: this.sslBrokers,
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CA_FILE: this.caFile,
      KAFKA_SSL_CERT_FILE: certificate.certFile,
      KAFKA_SSL_KEY_FILE: certificate.keyFile,
    };
  }

  async stop(): Promise<void> {
    await run('bash', [SECURE_BROKER_SH, 'stop'], { env: this.#env(), timeout: 60_000 }).catch(() => {});
    rmSync(this.home, { recursive: true, force: true });
  }
}

function javaClientProperties(credentials: SaslCredentials, caFile: string): string {
  const module = credentials.mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return [
    'security.protocol=SASL_SSL',
    `sasl.mechanism=${credentials.mechanism}`,
    `sasl.jaas.config=${module} required username="${credentials.username}" password="${credentials.password}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${caFile}`,
    '',
  ].join('\n');
}
