import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clientConnection } from '../../src/bus/kafka/security.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/errors.ts';

const NO_FILE = '/nonexistent/.env';
const TLS_SH = fileURLToPath(new URL('../../scripts/kafka/tls.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tickflow-kafka-security-'));
const file = (name: string) => join(dir, name);
const KEY_PASSWORD = 'key-passphrase-4711';
const SASL_PASSWORD = 'sasl-password-0815';

before(() => {
  execFileSync('bash', [TLS_SH, 'ca', dir]);
  execFileSync('bash', [TLS_SH, 'issue', dir, 'ingest']);
  execFileSync('bash', [TLS_SH, 'issue', dir, 'other']);
  execFileSync('bash', [TLS_SH, 'issue', dir, 'old', '', 'expired']);
  execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', file('ingest.key'), '-out', file('ingest.encrypted.key'), '-passout', `pass:${KEY_PASSWORD}`]);
  writeFileSync(file('not-pem.txt'), 'hello');
});

const saslSsl = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: SASL_PASSWORD };

/** The ConfigError's message, checked to name no secret. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env, NO_FILE);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, new RegExp(`${SASL_PASSWORD}|${KEY_PASSWORD}`));
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('Kafka security configuration', () => {
  it('is PLAINTEXT by default: no TLS, no SASL in the client options', () => {
    const config = loadConfig({}, NO_FILE);
    assert.deepEqual(config.kafkaSecurity, { protocol: 'PLAINTEXT' });
    assert.deepEqual(clientConnection(config.kafkaBrokers, config.kafkaSecurity), { bootstrapBrokers: ['127.0.0.1:9092'] });
  });

  it('reads SASL_SSL with SCRAM and a CA file into the options every client spreads', () => {
    const config = loadConfig({ ...saslSsl, KAFKA_SSL_CA_FILE: file('ca.pem'), KAFKA_BROKERS: 'b-1.kafka.example.com:9096' }, NO_FILE);
    assert.equal(config.kafkaSecurity.protocol, 'SASL_SSL');
    const connection = clientConnection(config.kafkaBrokers, config.kafkaSecurity);
    assert.deepEqual(connection.sasl, { mechanism: 'SCRAM-SHA-512', username: 'ingest', password: SASL_PASSWORD });
    assert.equal(connection.tls?.ca, readFileSync(file('ca.pem'), 'utf8'));
    assert.equal(connection.tls?.checkServerIdentity, undefined, 'host names are verified by default');
    assert.equal(connection.tlsServerName, true, 'SNI for named brokers');
    assert.equal(clientConnection(['127.0.0.1:9094'], config.kafkaSecurity).tlsServerName, false, 'no SNI for an IP address');
  });

  it('reads mutual TLS: a client certificate with its key, encrypted or not', () => {
    for (const [key, password] of [[file('ingest.key'), undefined], [file('ingest.encrypted.key'), KEY_PASSWORD]] as const) {
      const env = { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: file('ca.pem'), KAFKA_SSL_CERT_FILE: file('ingest.pem'), KAFKA_SSL_KEY_FILE: key, ...(password ? { KAFKA_SSL_KEY_PASSWORD: password } : {}) };
      const { tls } = clientConnection(['127.0.0.1:9095'], loadConfig(env, NO_FILE).kafkaSecurity);
      assert.equal(tls?.cert, readFileSync(file('ingest.pem'), 'utf8'));
      assert.equal(tls?.key, readFileSync(key, 'utf8'));
      assert.equal(tls?.passphrase, password);
    }
  });

  it('trusts the public CAs when SSL has no CA file, and skips host name checks only when told to, by name', () => {
    const { tls } = clientConnection(['kafka:9093'], loadConfig({ KAFKA_SECURITY_PROTOCOL: 'SSL' }, NO_FILE).kafkaSecurity);
    assert.deepEqual(tls, {});
    const insecure = loadConfig({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION: 'true' }, NO_FILE).kafkaSecurity;
    assert.equal(typeof clientConnection(['kafka:9093'], insecure).tls?.checkServerIdentity, 'function');
  });

  it('names each SASL setting SASL_* lacks, and never echoes the password', () => {
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }), /KAFKA_SASL_MECHANISM: required with KAFKA_SECURITY_PROTOCOL=SASL_SSL\n\s+KAFKA_SASL_USERNAME: required[^\n]*\n\s+KAFKA_SASL_PASSWORD: required/);
    assert.match(problem({ ...saslSsl, KAFKA_SASL_MECHANISM: 'GSSAPI' }), /KAFKA_SASL_MECHANISM: .*PLAIN.*SCRAM-SHA-256.*SCRAM-SHA-512[^\n]*\(got "GSSAPI"\)/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'TLS' }), /KAFKA_SECURITY_PROTOCOL: .*PLAINTEXT.*SASL_SSL/);
  });

  it('refuses settings the protocol would ignore: credentials without SASL, files without TLS', () => {
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: SASL_PASSWORD }), /KAFKA_SASL_USERNAME: is set, but KAFKA_SECURITY_PROTOCOL=SSL does not use SASL[^\n]*\n\s+KAFKA_SASL_PASSWORD: is set/);
    assert.match(problem({ ...saslSsl, KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SSL_CA_FILE: file('ca.pem') }), /KAFKA_SSL_CA_FILE: is set, but KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT does not use TLS/);
  });

  it('names unreadable or wrong files, a certificate without its key, a key that does not fit or does not open', () => {
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }), /KAFKA_SSL_CA_FILE: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: file('not-pem.txt') }), /KAFKA_SSL_CA_FILE: ".*not-pem.txt" is not a PEM file/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: file('ca.key') }), /KAFKA_SSL_CA_FILE: holds no PEM certificate/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('ingest.pem') }), /KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_FILE: file('ingest.key') }), /KAFKA_SSL_CERT_FILE: required with KAFKA_SSL_KEY_FILE/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('ingest.pem'), KAFKA_SSL_KEY_FILE: file('other.key') }), /KAFKA_SSL_KEY_FILE: is not the private key of the certificate in KAFKA_SSL_CERT_FILE/);
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('ingest.pem'), KAFKA_SSL_KEY_FILE: file('ingest.encrypted.key') }), /KAFKA_SSL_KEY_PASSWORD: required: the key in KAFKA_SSL_KEY_FILE is encrypted/);
    assert.match(
      problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('ingest.pem'), KAFKA_SSL_KEY_FILE: file('ingest.encrypted.key'), KAFKA_SSL_KEY_PASSWORD: `${KEY_PASSWORD}-wrong` }),
      /KAFKA_SSL_KEY_PASSWORD: does not decrypt the key in KAFKA_SSL_KEY_FILE/,
    );
    assert.match(problem({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('old.pem'), KAFKA_SSL_KEY_FILE: file('old.key') }), /KAFKA_SSL_CERT_FILE: the client certificate expired on 2020-01-02/);
  });
});
