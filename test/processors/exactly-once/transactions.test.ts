import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';
import { isPending, waitFor, within } from '../../support/wait.ts';

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092): start one with `npm run kafka:start`.
describe('Kafka transactions and the read_committed reader', () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('reads committed transactions and leaves aborted ones out, also when the abort marker comes in a later fetch', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('txn');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const producer = bus.transactionalProducer({ transactionalId: fixture.uniqueName('id') });
    const send = async (values: readonly string[], end: 'commit' | 'abort') => {
      const transaction = await producer.begin();
      // One send per value: one batch each.
      for (const value of values) await transaction.send([{ topic, key: 'k', value, partition: 0 }]);
      await (end === 'commit' ? transaction.commit() : transaction.abort());
    };
    await send(['a'], 'commit');
    await send(['x1', 'x2', 'x3'], 'abort');
    await send(['b', 'c'], 'commit');
    const reader = bus.committedReader();
    for (const fetchBytes of [1, 1 << 20]) {
      const records = await reader.readToEnd(topic, [0], { fetchBytes });
      assert.deepEqual(
        records.map((record) => record.value),
        ['a', 'b', 'c'],
        `fetching ${fetchBytes} bytes at a time`,
      );
    }
    await reader.close();
    await producer.close();
  });

  it('commits transactions back to back without waiting out the general retry delay between them', async () => {
    // A bus whose general retry delay is long: what waits it out shows at once.
    const slowRetries = await kafkaFixture({ retryDelayMs: 3_000 });
    try {
      const { bus } = slowRetries;
      // Like the aggregator's: outputs and state over several partitions of two topics.
      const topics = [slowRetries.uniqueName('cadence-out'), slowRetries.uniqueName('cadence-state')];
      await bus.ensureTopics(topics.map((name) => ({ name, partitions: 4 })));
      const producer = bus.transactionalProducer({ transactionalId: slowRetries.uniqueName('id') });
      await producer.init();
      const count = 30;
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const transaction = await producer.begin();
        await transaction.send(topics.flatMap((topic) => [0, 1, 2, 3].map((partition) => ({ topic, partition, key: `k${i}`, value: i }))));
        await transaction.commit();
      }
      const ms = performance.now() - started;
      await producer.close();
      // ~20 ms each here. Right after a commit the coordinator answers CONCURRENT_TRANSACTIONS until
      // its markers are written: retried after the general delay, a few of the 30 waited 3 s each.
      assert.ok(ms < 6_000, `${count} transactions took ${Math.round(ms)} ms`);
      const reader = bus.committedReader();
      for (const topic of topics) assert.equal((await reader.readToEnd(topic, [0, 1, 2, 3])).length, count * 4);
      await reader.close();
    } finally {
      await slowRetries.close();
    }
  });

  it('reads an empty partition again at once (its fetch session leaves a partition without news out of the answer)', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('empty');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const key = ['a', 'b', 'c', 'd', 'e', 'f'].find((candidate) => bus.partitionFor(topic, candidate) === 1)!;
    const producer = bus.producer();
    await producer.send(topic, [{ key, value: 'only' }]);
    await producer.close();
    const reader = bus.committedReader();
    for (let read = 0; read < 3; read++) {
      const records = await within(reader.readToEnd(topic, [0, 1], { timeoutMs: 5_000 }), 10_000, `read ${read + 1}`);
      assert.deepEqual(records.map((record) => record.value), ['only']);
    }
    await reader.close();
  });

  it('waits for a transaction still open below the end, and gives up after its timeout', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('open');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const producer = bus.transactionalProducer({ transactionalId: fixture.uniqueName('id') });
    const transaction = await producer.begin();
    await transaction.send([{ topic, key: 'k', value: 'pending', partition: 0 }]);
    const reader = bus.committedReader();
    await assert.rejects(reader.readToEnd(topic, [0], { timeoutMs: 300 }), /a transaction stayed open for 300 ms/);
    const reading = reader.readToEnd(topic, [0]);
    assert.ok(await isPending(reading, 300));
    await transaction.commit();
    assert.deepEqual((await within(reading, 5_000, 'read after commit')).map((record) => record.value), ['pending']);
    await reader.close();
    await producer.close();
  });

  it('aborts what a crashed producer left open as soon as one with its transactional id starts', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('fence');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const transactionalId = fixture.uniqueName('id');
    const crashed = bus.transactionalProducer({ transactionalId, transactionTimeoutMs: 60_000 });
    const left = await crashed.begin();
    await left.send([{ topic, key: 'k', value: 'lost', partition: 0 }]);
    const successor = bus.transactionalProducer({ transactionalId });
    await successor.init();
    const next = await successor.begin();
    await next.send([{ topic, key: 'k', value: 'kept', partition: 0 }]);
    await next.commit();
    const reader = bus.committedReader();
    assert.deepEqual((await reader.readToEnd(topic, [0], { timeoutMs: 5_000 })).map((record) => record.value), ['kept']);
    await assert.rejects(left.commit(), (error: Error) => error.name === 'ProducerFencedError');
    await reader.close();
    await Promise.all([crashed.close(), successor.close()]);
  });
  it('shows a consumer that read and committed everything as caught up, although transaction markers follow its last record', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('lag');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const producer = bus.transactionalProducer({ transactionalId: fixture.uniqueName('id') });
    for (const values of [['a', 'b'], ['c']]) {
      const transaction = await producer.begin();
      await transaction.send(values.map((value) => ({ topic, key: 'k', value, partition: 0 })));
      await transaction.commit();
    }
    await producer.close();
    const consumer = await bus.consumer({ groupId: fixture.uniqueName('group'), topics: [topic] });
    const seen: unknown[] = [];
    for await (const batch of consumer) {
      seen.push(...batch.map((record) => record.value));
      await consumer.commit(batch);
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, ['a', 'b', 'c']);
    // Offsets 0-1 a, b; 2 a commit marker; 3 c; 4 a commit marker: the end is 5, the last record 3.
    await waitFor(async () => (await consumer.lag()).every((partition) => partition.lag === 0), 'lag 0 past the last marker', 10_000);
    const [partition] = await consumer.lag();
    assert.deepEqual({ end: partition!.endOffset, committed: partition!.committedOffset }, { end: 5, committed: 4 });
    await consumer.close();
  });
});
