import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { Admin } from '@platformatic/kafka';
import { KafkaBus, type KafkaBusOptions } from '../../src/bus/kafka/kafka-bus.ts';
import type { BusFixture } from '../contract/bus-contract.ts';

/** The broker the Kafka tests use: `KAFKA_BROKERS` (comma-separated host:port), default the one kafka.sh starts. */
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);

/**
 * Settings for tests: a 2-core machine, groups that form and re-form quickly. The heartbeat bounds
 * how long a second member's join waits for the first one to notice the rebalance.
 */
export const TEST_BUS_OPTIONS = {
  brokers: KAFKA_BROKERS,
  clientId: 'tickflow-test',
  heartbeatIntervalMs: 250,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 20_000,
  retryDelayMs: 100,
  closeTimeoutMs: 5_000,
} as const satisfies KafkaBusOptions;

/** Topic and group names of this test process start with this; each fixture adds its own part. */
const RUN_PREFIX = `tickflow-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}-`;
let fixtures = 0;

/** Fails with a clear message when no broker answers: Kafka tests never skip. */
export async function requireBroker(brokers: readonly string[] = KAFKA_BROKERS, timeoutMs = 5_000): Promise<void> {
  const hint = `start one with 'npm run kafka:start' (scripts/kafka/kafka.sh start) or point KAFKA_BROKERS at one`;
  const reachable = await Promise.all(brokers.map((broker) => canConnect(broker, timeoutMs)));
  if (!reachable.some(Boolean)) throw new Error(`no Kafka broker reachable at ${brokers.join(',')}: ${hint}`);
  const admin = new Admin({ clientId: 'tickflow-test-probe', bootstrapBrokers: [...brokers], retries: 0, connectTimeout: timeoutMs });
  try {
    await admin.metadata({ topics: [] });
  } catch (error) {
    throw new Error(`something listens at ${brokers.join(',')} but does not answer as a Kafka broker: ${hint}`, { cause: error });
  } finally {
    await admin.close();
  }
}

function canConnect(broker: string, timeoutMs: number): Promise<boolean> {
  const separator = broker.lastIndexOf(':');
  const host = broker.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(separator + 1));
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

export interface KafkaFixture extends BusFixture {
  readonly bus: KafkaBus;
  /** An admin client on the same broker, for checks behind the bus's back. */
  readonly admin: Admin;
}

/** A KafkaBus on the test broker; `close` also deletes the topics and groups named by its `uniqueName`. */
export async function kafkaFixture(overrides: Partial<KafkaBusOptions> = {}): Promise<KafkaFixture> {
  await requireBroker();
  const bus = new KafkaBus({ ...TEST_BUS_OPTIONS, ...overrides });
  const admin = new Admin({ clientId: 'tickflow-test-admin', bootstrapBrokers: [...KAFKA_BROKERS], retries: 3, retryDelay: 100 });
  const prefix = `${RUN_PREFIX}${++fixtures}-`;
  let names = 0;
  return {
    bus,
    admin,
    uniqueName: (kind) => `${prefix}${kind}-${++names}`,
    close: async () => {
      try {
        await bus.close();
        await deleteNamesStartingWith(admin, prefix);
      } finally {
        await admin.close();
      }
    },
  };
}

async function deleteNamesStartingWith(admin: Admin, prefix: string): Promise<void> {
  const groups = [...(await admin.listGroups()).keys()].filter((group) => group.startsWith(prefix));
  // Best effort: a group whose last member left a moment ago may still be settling.
  if (groups.length > 0) await admin.deleteGroups({ groups }).catch(() => {});
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
