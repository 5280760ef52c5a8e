import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigResourceTypes, ListOffsetTimestamps } from '@platformatic/kafka';
import type { BusRecord } from '../../src/bus/bus.ts';
import { KAFKA_BUS_DEFAULTS, KAFKA_COMPRESSIONS, KafkaBus } from '../../src/bus/kafka/kafka-bus.ts';
import { ConfigError } from '../../src/errors.ts';
import { busContract, take } from '../contract/bus-contract.ts';
import { kafkaFixture, TEST_BUS_OPTIONS, type KafkaFixture } from '../support/kafka.ts';
import { isPending, waitFor, within } from '../support/wait.ts';

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092): start one with `npm run kafka:start`.
busContract('kafka', () => kafkaFixture());

describe('kafka bus options', () => {
  const rejects = (options: unknown, message: RegExp) =>
    assert.throws(() => new KafkaBus(options as never), (error) => error instanceof ConfigError && message.test(error.message));

  it('rejects bad options before connecting, naming each', () => {
    rejects({}, /brokers: required/);
    rejects({ brokers: [] }, /brokers: needs at least one broker/);
    rejects({ brokers: 'localhost' }, /brokers\.0: must be host:port/);
    rejects({ brokers: '127.0.0.1:70000' }, /port from 1 to 65535/);
    rejects({ brokers: 'a:9092', clientId: 'has space' }, /clientId: letters, digits/);
    rejects({ brokers: 'a:9092', compression: 'brotli' }, /compression: must be one of none, gzip, snappy, lz4, zstd/);
    rejects({ brokers: 'a:9092', heartbeatIntervalMs: 30_000, sessionTimeoutMs: 10_000 }, /heartbeatIntervalMs: must be below sessionTimeoutMs/);
    rejects({ brokers: 'a:9092', maxBatchSize: 0, retries: -1 }, /maxBatchSize: .*\n.*retries: /);
    rejects({ brokers: 'a:9092', compresion: 'lz4' }, /Unrecognized key: "compresion"/);
    rejects({ brokers: 'a:9092', security: { protocol: 'SASL_SSL' } }, /security\.sasl: is required with SASL_PLAINTEXT and SASL_SSL/);
    rejects({ brokers: 'a:9092', security: { protocol: 'PLAINTEXT', tls: {} } }, /security\.tls: needs SSL or SASL_SSL/);
    rejects({ brokers: 'a:9092', security: { protocol: 'SSL', tls: { cert: 'PEM' } } }, /security\.tls: cert and key go together/);
  });

  it('fills in the defaults and accepts a comma-separated broker list', () => {
    const bus = new KafkaBus({ brokers: ' a:9092, [::1]:9093 ' });
    assert.deepEqual(bus.options, { ...KAFKA_BUS_DEFAULTS, brokers: ['a:9092', '[::1]:9093'], connection: { bootstrapBrokers: ['a:9092', '[::1]:9093'] } });
    assert.equal(bus.options.compression, 'snappy');
  });
});

describe('kafka bus', () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('ensureTopics is idempotent, keeps an existing topic as it is, and sets retention.ms', async () => {
    const { bus, admin } = fixture;
    const topic = fixture.uniqueName('ensure');
    await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
    await bus.ensureTopics([{ name: topic, partitions: 5, retentionMs: 60_000 }]);
    const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
    assert.equal(metadata.topics.get(topic)?.partitionsCount, 3);
    const [description] = await admin.describeConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: ['retention.ms'] }],
    });
    assert.equal(description?.configs.find((config) => config.name === 'retention.ms')?.value, '3600000');
    // partitionFor follows the topic's real partition count, not the second spec.
    assert.ok([...Array(50).keys()].every((i) => bus.partitionFor(topic, `k${i}`) < 3));
    await assert.rejects(bus.ensureTopics([{ name: 'no spaces', partitions: 1 }]), ConfigError);
    await assert.rejects(bus.ensureTopics([{ name: topic, partitions: 0 }]), ConfigError);
  });

  it('fails fast with BUS_UNKNOWN_TOPIC for a topic that does not exist', async () => {
    const { bus } = fixture;
    const missing = fixture.uniqueName('missing');
    const producer = bus.producer();
    const unknown = { code: 'TICKFLOW_BUS_UNKNOWN_TOPIC' };
    await within(assert.rejects(producer.send(missing, [{ key: 'k', value: 1 }]), unknown), 3_000, 'send to a missing topic to fail');
    await within(assert.rejects(bus.consumer({ groupId: fixture.uniqueName('g'), topics: [missing] }), unknown), 3_000, 'consumer of a missing topic to fail');
    assert.throws(() => bus.partitionFor(missing, 'k'), unknown);
    await producer.close();
  });

  it('ignores commits for partitions a rebalance moved to another member', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('revoked');
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);
    const groupId = fixture.uniqueName('g');
    const one = await bus.consumer({ groupId, topics: [topic] });
    const producer = bus.producer();
    await producer.send(
      topic,
      Array.from({ length: 40 }, (_, i) => ({ key: `SYM${i}`, value: i })),
    );
    await producer.close();
    const seen = await take(one, 40);
    assert.equal(new Set(seen.map((record) => record.partition)).size, 4, 'the first member read every partition');

    const two = await bus.consumer({ groupId, topics: [topic] });
    await waitFor(() => one.partitions().length === 2 && two.partitions().length === 2, 'the group to split the 4 partitions');
    const keptByOne = new Set(one.partitions().map(({ partition }) => partition));
    await one.commit(seen); // includes records of the two partitions that moved to the other member

    for (const entry of await two.lag()) {
      const expected = keptByOne.has(entry.partition) ? entry.endOffset : 0;
      assert.equal(entry.committedOffset, expected, `committed offset of partition ${entry.partition}`);
    }
    // The new owner reads the moved partitions from the start: nothing was committed for them.
    const moved = seen.filter((record) => !keptByOne.has(record.partition));
    const again = await take(two, moved.length);
    assert.deepEqual(again.map((record) => record.value).sort((a, b) => (a as number) - (b as number)), moved.map((record) => record.value).sort((a, b) => (a as number) - (b as number)));
    await Promise.all([one.close(), two.close()]);
  });

  it('does not hand a member records again when a rebalance leaves it a partition it was reading', async () => {
    const topic = fixture.uniqueName('kept');
    // Short fetches: the fetch in flight during the rebalance ends quickly, so the re-read of committed offsets shows at once.
    const bus = new KafkaBus({ ...TEST_BUS_OPTIONS, fetchMaxWaitMs: 50 });
    try {
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      const keyOf = (partition: number) => ['A', 'B', 'C', 'D', 'E', 'F'].find((key) => bus.partitionFor(topic, key) === partition)!;
      const groupId = fixture.uniqueName('g');
      const one = await bus.consumer({ groupId, topics: [topic] });
      const producer = bus.producer();
      await producer.send(topic, [0, 1].flatMap((partition) => Array.from({ length: 10 }, (_, i) => ({ key: keyOf(partition), value: i }))));
      const batches = one[Symbol.asyncIterator]();
      const seen: BusRecord[] = [];
      while (seen.length < 20) seen.push(...((await batches.next()).value ?? []));
      await one.commit(seen.filter((record) => record.offset < 4));

      const two = await bus.consumer({ groupId, topics: [topic] });
      await waitFor(() => one.partitions().length === 1 && two.partitions().length === 1, 'the group to split the 2 partitions');
      // After the rebalance the client re-reads the committed offset (4) of the partition it kept;
      // records 4..9 were handed out already and must not come again.
      const next = batches.next();
      assert.ok(await isPending(next, 500), 'no records come again');
      await producer.send(topic, [{ key: keyOf(one.partitions()[0]!.partition), value: 'fresh' }]);
      const batch = (await within(next, 5_000, 'the fresh record')).value as readonly BusRecord[];
      assert.deepEqual(batch.map((record) => record.value), ['fresh']);
    } finally {
      await bus.close();
    }
  });

  it('keeps the broker append time as record time, so retention never deletes a replay of old event times before it is read', async () => {
    const { bus, admin } = fixture;
    const topic = fixture.uniqueName('append-time');
    await bus.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
    const [description] = await admin.describeConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: ['message.timestamp.type'] }],
    });
    assert.equal(description?.configs.find((config) => config.name === 'message.timestamp.type')?.value, 'LogAppendTime');
    const sentAt = Date.now();
    const eventTime = Date.UTC(2013, 9, 7, 13, 31);
    await bus.producer().send(topic, [{ key: 'SPY', value: { tsEvent: eventTime }, timestamp: eventTime }]);
    // The broker's own view of the record's time (what retention and its time index use).
    const [listed] = await admin.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: ListOffsetTimestamps.MAX }] }] });
    const brokerTime = Number(listed?.partitions[0]?.timestamp);
    assert.ok(brokerTime >= sentAt - 1_000, `the broker keeps ${new Date(brokerTime).toISOString()}, not the append time`);
    const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
    try {
      assert.deepEqual((await take(consumer, 1))[0]?.value, { tsEvent: eventTime }, 'the event time travels in the value');
    } finally {
      await consumer.close();
    }
  });

  it('round-trips with every compression codec', async () => {
    const topic = fixture.uniqueName('codecs');
    await fixture.bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const value = { s: 'BINANCE:BTCUSDT', p: 97_123.45, padding: 'x'.repeat(2_000) };
    for (const compression of KAFKA_COMPRESSIONS) {
      const bus = new KafkaBus({ ...TEST_BUS_OPTIONS, compression });
      try {
        const producer = bus.producer();
        await producer.send(topic, [{ key: compression, value: { ...value, compression } }]);
        const consumer = await bus.consumer({ groupId: fixture.uniqueName(`g-${compression}`), topics: [topic] });
        const received = await take(consumer, KAFKA_COMPRESSIONS.indexOf(compression) + 1);
        assert.deepEqual(received.at(-1)?.value, { ...value, compression }, compression);
      } finally {
        await bus.close();
      }
    }
  });

  it('closes once, ends iteration, and then refuses work with BUS_CLOSED', async () => {
    const topic = fixture.uniqueName('close');
    await fixture.bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const bus = new KafkaBus(TEST_BUS_OPTIONS);
    const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
    const iterating = (async () => {
      for await (const batch of consumer) void batch;
    })();
    const producer = bus.producer();
    await producer.send(topic, [{ key: 'k', value: 1 }]);
    await within(Promise.all([bus.close(), bus.close(), consumer.close()]), 10_000, 'closing the bus');
    await within(iterating, 5_000, 'iteration to end');
    const closed = { code: 'TICKFLOW_BUS_CLOSED' };
    await assert.rejects(producer.send(topic, [{ key: 'k', value: 2 }]), closed);
    assert.throws(() => bus.producer(), closed);
    await assert.rejects(bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] }), closed);
    await assert.rejects(bus.ensureTopics([{ name: topic, partitions: 2 }]), closed);
    await assert.rejects(consumer.lag(), closed);
    // Committing after close is ignored, as for a partition that moved away.
    await consumer.commit([{ topic, partition: 0, offset: 0, key: 'k', value: 1, timestamp: 0 }]);
  });
});
