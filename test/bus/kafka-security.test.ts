import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { securityProblem } from '../../src/bus/kafka/connection-problems.ts';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts';
import type { KafkaSecurityOptions } from '../../src/bus/kafka/security.ts';
import { TopicAdmin } from '../../src/bus/kafka/topic-admin.ts';
import { loadConfig } from '../../src/config/config.ts';
import { busContract, take } from '../contract/bus-contract.ts';
import { KAFKA_BROKERS, requireBroker, TEST_BUS_OPTIONS } from '../support/kafka.ts';
import { SecureBroker, type SaslCredentials } from '../support/secure-broker.ts';
import { within } from '../support/wait.ts';

// One broker with TLS, SASL and ACLs for the whole file (scripts/kafka/secure-broker.sh, on free ports).
let started: Promise<SecureBroker> | undefined;
const secureBroker = () => (started ??= SecureBroker.start());
after(async () => (await started)?.stop());

const NO_FILE = '/nonexistent/.env';
const RUN = `tickflow-secure-${randomBytes(3).toString('hex')}-`;
let names = 0;
const uniqueName = (kind: string) => `${RUN}${kind}-${++names}`;

/** The security settings as tickflow reads them from the environment. */
const securityFrom = (env: Record<string, string>): KafkaSecurityOptions => loadConfig(env, NO_FILE).kafkaSecurity;

function secureBus(env: Record<string, string>): KafkaBus {
  return new KafkaBus({ ...TEST_BUS_OPTIONS, brokers: env.KAFKA_BROKERS!, security: securityFrom(env), retries: 3 });
}

/** ensureTopics (the first thing start-up does) fails within `ms`, with BUS_AUTHENTICATION and `message`; returns the message. */
async function refused(env: Record<string, string>, message: RegExp, ms = 5_000): Promise<string> {
  const bus = secureBus(env);
  const startedAt = Date.now();
  let error: unknown;
  try {
    await within(bus.ensureTopics([{ name: uniqueName('refused'), partitions: 1 }]).then(() => assert.fail('connected')), ms, 'the refusal');
  } catch (caught) {
    error = caught;
  } finally {
    await bus.close();
  }
  assert.ok(error instanceof Error);
  assert.equal((error as { code?: string }).code, 'TICKFLOW_BUS_AUTHENTICATION', error.stack);
  assert.match(error.message, message);
  assert.ok(Date.now() - startedAt < ms, `refused in ${Date.now() - startedAt} ms`);
  return error.message;
}

busContract('kafka over SASL_SSL (SCRAM-SHA-512, ACL authorizer on)', async () => {
  const broker = await secureBroker();
  const bus = secureBus(broker.saslSslEnv());
  return { bus, uniqueName, close: () => bus.close() };
});

describe('kafka bus security', () => {
  let broker: SecureBroker;
  before(async () => {
    broker = await secureBroker();
  });

  async function roundTrip(bus: KafkaBus): Promise<void> {
    const topic = uniqueName('round-trip');
    try {
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      const producer = bus.producer();
      await producer.send(topic, [{ key: 'AAPL', value: { n: 1 } }, { key: 'MSFT', value: { n: 2 } }]);
      await producer.close();
      const consumer = await bus.consumer({ groupId: uniqueName('g'), topics: [topic] });
      const received = await take(consumer, 2);
      await consumer.close();
      assert.deepEqual(received.map((record) => record.value).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n), [{ n: 1 }, { n: 2 }]);
    } finally {
      await bus.close();
    }
  }

  it('talks SASL_SSL with SCRAM-SHA-256 and PLAIN too', async () => {
    for (const mechanism of ['SCRAM-SHA-256', 'PLAIN'] as const) {
      await roundTrip(secureBus(broker.saslSslEnv({ ...broker.adminCredentials, mechanism })));
    }
  });

  it('talks mutual TLS on the SSL listener, the certificate naming the principal', async () => {
    await roundTrip(secureBus(broker.sslEnv(await broker.clientCertificate('admin'))));
  });

  it('stops at once on a wrong password, naming user and variables, never the password', async () => {
    const credentials: SaslCredentials = { mechanism: 'SCRAM-SHA-512', username: 'admin', password: 'not-the-admin-password-9f3' };
    const message = await refused(
      broker.saslSslEnv(credentials),
      new RegExp(`^Kafka at ${broker.saslSslBrokers} rejected the SASL/SCRAM-SHA-512 credentials of user 'admin' \\(check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD`),
    );
    assert.doesNotMatch(message, /not-the-admin-password/);
    const user = await broker.addScramUser(`u-${randomBytes(3).toString('hex')}`, 'a-real-password-1', 'SCRAM-SHA-256');
    await refused(broker.saslSslEnv({ ...user, mechanism: 'SCRAM-SHA-512' }), /rejected the SASL\/SCRAM-SHA-512 credentials of user 'u-/);
  });

  it('stops at once on a broker certificate from a CA it was not told to trust', async () => {
    await refused({ ...broker.saslSslEnv(), KAFKA_SSL_CA_FILE: await broker.foreignCaFile() }, /the TLS certificate of Kafka at 127\.0\.0\.1:\d+ is not signed by a trusted authority \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set KAFKA_SSL_CA_FILE/);
    const withoutCa: Record<string, string> = { ...broker.saslSslEnv() };
    delete withoutCa.KAFKA_SSL_CA_FILE;
    await refused(withoutCa, /not signed by a trusted authority .*none is set: only public CAs are trusted/);
  });

  it('stops at once on an expired broker certificate, and on one for another host', async () => {
    const tls = { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: broker.caFile };
    await refused({ ...tls, KAFKA_BROKERS: broker.expiredBrokers }, new RegExp(`the TLS certificate of Kafka at ${broker.expiredBrokers} is expired`));
    await refused({ ...tls, KAFKA_BROKERS: broker.mismatchBrokers }, /is for another host \(.*127\.0\.0\.1 is not in the cert's list.*\): name the brokers in KAFKA_BROKERS as their certificates do/);
  });

  it('stops at once when only one end speaks TLS', async () => {
    await refused({ KAFKA_BROKERS: broker.saslSslBrokers }, /speaks TLS, but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: set it to SSL or SASL_SSL/);
    await requireBroker();
    await refused({ KAFKA_BROKERS: KAFKA_BROKERS.join(','), KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: broker.caFile }, /does not speak TLS on this port, but KAFKA_SECURITY_PROTOCOL is SSL/);
  });

  it('stops at once when the broker wants a client certificate it is not given, or does not trust the one given', async () => {
    const tls = { KAFKA_BROKERS: broker.sslBrokers, KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: broker.caFile };
    await refused(tls, /refused the TLS handshake \(ERR_SSL_[\w/]+\): it probably requires a client certificate \(set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE\)/);
    const foreign = await broker.foreignClientCertificate('admin');
    await refused({ ...tls, KAFKA_SSL_CERT_FILE: foreign.certFile, KAFKA_SSL_KEY_FILE: foreign.keyFile }, /it does not accept the client certificate of KAFKA_SSL_CERT_FILE/);
  });

  it('refuses SASL_SSL on the listener that wants a client certificate, without an uncaught error ending the process', async () => {
    // The broker's alert ends the connection in the middle of SASL: the client's connection then fails more than once.
    const env = { ...broker.saslSslEnv(), KAFKA_BROKERS: broker.sslBrokers };
    const wantsCertificate = /refused the TLS handshake \(ERR_SSL_[\w/]+\): it probably requires a client certificate/;
    await refused(env, wantsCertificate);
    const topics = new TopicAdmin({ brokers: [broker.sslBrokers], clientId: 'tickflow-test', security: securityFrom(env) });
    const bus = secureBus(env);
    const carriesTheAlert = (error: unknown) => {
      assert.match(securityProblem(error, [broker.sslBrokers], securityFrom(env))?.message ?? String(error), wantsCertificate);
      return true;
    };
    try {
      await assert.rejects(topics.checkSecurity(), { code: 'TICKFLOW_BUS_AUTHENTICATION', message: wantsCertificate });
      // Clients that connect on their own, without the bus's admin client going first.
      await assert.rejects(bus.committedReader().readToEnd(uniqueName('read'), [0]), carriesTheAlert);
      await assert.rejects(bus.transactionalProducer({ transactionalId: uniqueName('tx') }).init(), carriesTheAlert);
    } finally {
      await bus.close();
      await topics.close();
    }
  });
});
