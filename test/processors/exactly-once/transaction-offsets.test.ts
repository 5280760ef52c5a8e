import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import { findErrorBy } from '@platformatic/kafka';
import type { TopicPartitionOffset } from '../../../src/bus/bus.ts';
import type { KafkaConsumer } from '../../../src/bus/kafka/kafka-consumer.ts';
import { isMembershipError } from '../../../src/bus/kafka/kafka-errors.ts';
import { kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';

const API_CHANNEL = 'tracing:plt:kafka:connections:api:start';
const ADD_OFFSETS_TO_TXN = 25;
const TXN_OFFSET_COMMIT = 28;

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092): start one with `npm run kafka:start`.
describe('KafkaTransaction.sendOffsets', () => {
  let fixture: KafkaFixture;
  let topics: { a: string; b: string };
  before(async () => {
    fixture = await kafkaFixture();
    topics = { a: fixture.uniqueName('offsets-a'), b: fixture.uniqueName('offsets-b') };
    await fixture.bus.ensureTopics([
      { name: topics.a, partitions: 3 },
      { name: topics.b, partitions: 2 },
    ]);
  });
  after(() => fixture?.close());

  const member = (groupId: string) => fixture.bus.consumer({ groupId, topics: [topics.a, topics.b] });

  /** Runs `test` with the only member of a new group. */
  async function withMember(test: (consumer: KafkaConsumer, groupId: string) => Promise<void>): Promise<void> {
    const groupId = fixture.uniqueName('group');
    const consumer = await member(groupId);
    try {
      await test(consumer, groupId);
    } finally {
      await consumer.close();
    }
  }

  /** The group's committed offsets (none pending), as `topic:partition` → offset; -1 where none. */
  async function committed(groupId: string): Promise<Record<string, number>> {
    const [group] = await fixture.admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topics.a, partitionIndexes: [0, 1, 2] }, { name: topics.b, partitionIndexes: [0, 1] }] }],
      requireStable: true,
    });
    return Object.fromEntries(group!.topics.flatMap(({ name, partitions }) => partitions.map((partition) => [`${name}:${partition.partitionIndex}`, Number(partition.committedOffset)])));
  }

  /** Sends `offsets` in a new transaction of a new producer, ended by `end`; counts the requests by API key. */
  async function inTransaction(consumer: KafkaConsumer, offsets: readonly TopicPartitionOffset[], end: 'commit' | 'abort', group = consumer.groupMetadata()): Promise<Map<number, number>> {
    const producer = fixture.bus.transactionalProducer({ transactionalId: fixture.uniqueName('id') });
    try {
      const transaction = await producer.begin();
      const requests = new Map<number, number>();
      const count = (message: unknown) => {
        const { apiKey } = message as { apiKey: number };
        requests.set(apiKey, (requests.get(apiKey) ?? 0) + 1);
      };
      subscribe(API_CHANNEL, count);
      try {
        await transaction.sendOffsets(offsets, group);
      } catch (error) {
        await transaction.abort();
        throw error;
      } finally {
        unsubscribe(API_CHANNEL, count);
      }
      await (end === 'commit' ? transaction.commit() : transaction.abort());
      return requests;
    } finally {
      await producer.close();
    }
  }

  const offsets = (values: Record<string, number>): TopicPartitionOffset[] =>
    Object.entries(values).map(([at, offset]) => {
      const separator = at.lastIndexOf(':');
      return { topic: at.slice(0, separator), partition: Number(at.slice(separator + 1)), offset };
    });

  it("commits every partition's offset (the next record to read) in one TxnOffsetCommit, on commit", () =>
    withMember(async (consumer, groupId) => {
      const sent = { [`${topics.a}:0`]: 5, [`${topics.a}:1`]: 0, [`${topics.a}:2`]: 17, [`${topics.b}:0`]: 3, [`${topics.b}:1`]: 42 };
      const requests = await inTransaction(consumer, offsets(sent), 'commit');
      assert.deepEqual({ addOffsetsToTxn: requests.get(ADD_OFFSETS_TO_TXN), txnOffsetCommit: requests.get(TXN_OFFSET_COMMIT) }, { addOffsetsToTxn: 1, txnOffsetCommit: 1 });
      assert.deepEqual(await committed(groupId), sent);
    }));

  it('leaves the committed offsets as they were when the transaction is aborted', () =>
    withMember(async (consumer, groupId) => {
      const first = { [`${topics.a}:0`]: 1, [`${topics.a}:1`]: 2, [`${topics.a}:2`]: 3, [`${topics.b}:0`]: 4, [`${topics.b}:1`]: 5 };
      await inTransaction(consumer, offsets(first), 'commit');
      await inTransaction(consumer, offsets({ [`${topics.a}:0`]: 10, [`${topics.a}:2`]: 30, [`${topics.b}:1`]: 50 }), 'abort');
      assert.deepEqual(await committed(groupId), first);
    }));

  it('is refused for a member whose generation a rebalance ended (KIP-447), and commits nothing', async () => {
    const groupId = fixture.uniqueName('group');
    const first = await member(groupId);
    const stale = first.groupMetadata();
    // Opening resolves once the second member has its partitions: the group is past `stale`'s generation.
    const second = await member(groupId);
    try {
      assert.ok(second.groupMetadata().generationId > stale.generationId, JSON.stringify({ stale, current: second.groupMetadata() }));
      await assert.rejects(inTransaction(first, offsets({ [`${topics.a}:0`]: 7, [`${topics.b}:1`]: 8 }), 'commit', stale), (error: Error) => {
        assert.ok(isMembershipError(error) && findErrorBy(error, 'apiId', 'ILLEGAL_GENERATION'), String(error));
        return true;
      });
      assert.deepEqual(Object.values(await committed(groupId)), [-1, -1, -1, -1, -1]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
