import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bus, BusConsumer, BusRecord } from '../../src/bus/bus.ts';
import { waitFor, within } from '../support/wait.ts';

export interface BusFixture {
  readonly bus: Bus;
  /** A topic name no other test uses. */
  uniqueName(prefix: string): string;
  close(): Promise<void>;
}

const PARTITIONS = 4;

/** Reads batches until `count` records arrived (or fails after `timeoutMs`). */
export async function take(consumer: BusConsumer, count: number, timeoutMs = 20_000): Promise<BusRecord[]> {
  const received: BusRecord[] = [];
  const iterator = consumer[Symbol.asyncIterator]();
  const reading = (async () => {
    while (received.length < count) {
      const next = await iterator.next();
      if (next.done) break;
      received.push(...next.value);
    }
  })();
  await within(reading, timeoutMs, `receiving ${count} records (got ${received.length})`);
  return received;
}

/**
 * The behaviour every bus must have. Run by the memory bus tests and, against a real broker, by the
 * Kafka bus tests.
 */
export function busContract(name: string, createFixture: () => Promise<BusFixture>): void {
  describe(`bus contract: ${name}`, () => {
    let fixture: BusFixture;
    let bus: Bus;

    before(async () => {
      fixture = await createFixture();
      bus = fixture.bus;
    });
    after(() => fixture.close());

    async function freshTopic(): Promise<string> {
      const topic = fixture.uniqueName('contract');
      await bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
      return topic;
    }

    async function send(topic: string, records: Array<{ key: string; value: unknown }>): Promise<void> {
      const producer = bus.producer();
      await producer.send(topic, records);
      await producer.close();
    }

    it('keeps the order of one key and puts it in the partition partitionFor names', async () => {
      const topic = await freshTopic();
      const records = Array.from({ length: 50 }, (_, i) => ({ key: i % 2 ? 'AAPL' : 'BINANCE:BTCUSDT', value: { n: i } }));
      await send(topic, records);
      const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
      const received = await take(consumer, 50);
      await consumer.close();
      for (const key of ['AAPL', 'BINANCE:BTCUSDT']) {
        const ofKey = received.filter((record) => record.key === key);
        assert.deepEqual(
          ofKey.map((record) => (record.value as { n: number }).n),
          records.filter((record) => record.key === key).map((record) => record.value.n),
        );
        assert.ok(ofKey.every((record) => record.partition === bus.partitionFor(topic, key)));
        assert.ok(ofKey.every((record, i) => i === 0 || record.offset > ofKey[i - 1]!.offset));
      }
    });

    it('round-trips values through JSON without loss', async () => {
      const topic = await freshTopic();
      const value = { s: 'OANDA:EUR_USD', p: 1.08734, v: 0, c: null, list: ['1', '24'], nested: { t: 1_700_000_000_123 } };
      await send(topic, [{ key: 'x', value }]);
      const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
      const [record] = await take(consumer, 1);
      await consumer.close();
      assert.deepEqual(record!.value, value);
      assert.equal(record!.topic, topic);
    });

    it('delivers every record to each group independently', async () => {
      const topic = await freshTopic();
      await send(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: i })));
      const first = await bus.consumer({ groupId: fixture.uniqueName('g1'), topics: [topic] });
      const second = await bus.consumer({ groupId: fixture.uniqueName('g2'), topics: [topic] });
      const [a, b] = await Promise.all([take(first, 20), take(second, 20)]);
      await Promise.all([first.close(), second.close()]);
      assert.deepEqual(sortedValues(a), range(20));
      assert.deepEqual(sortedValues(b), range(20));
    });

    it('splits partitions between members of one group, each record going to one member', async () => {
      const topic = await freshTopic();
      const groupId = fixture.uniqueName('g');
      const one = await bus.consumer({ groupId, topics: [topic] });
      const two = await bus.consumer({ groupId, topics: [topic] });
      const keys = Array.from({ length: 40 }, (_, i) => `SYM${i}`);
      await send(topic, keys.map((key, i) => ({ key, value: i })));
      const received: BusRecord[][] = [[], []];
      const loops = [one, two].map(async (consumer, index) => {
        for await (const batch of consumer) {
          received[index]!.push(...batch);
          await consumer.commit(batch);
        }
      });
      await waitFor(() => received[0]!.length + received[1]!.length >= 40, 'both members to receive 40 records', 20_000);
      await Promise.all([one.close(), two.close()]);
      await within(Promise.all(loops), 10_000, 'both members to stop');
      const all = [...received[0]!, ...received[1]!];
      assert.deepEqual(sortedValues(all), range(40));
      const partitionsOf = (batch: BusRecord[]) => new Set(batch.map((record) => record.partition));
      for (const partition of partitionsOf(received[0]!)) assert.ok(!partitionsOf(received[1]!).has(partition));
    });

    it('redelivers uncommitted records to the next member, and not committed ones', async () => {
      const topic = await freshTopic();
      const groupId = fixture.uniqueName('g');
      await send(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'AAPL', value: i })));
      const first = await bus.consumer({ groupId, topics: [topic] });
      const seen = await take(first, 10);
      await first.commit(seen.slice(0, 4));
      await first.close();
      const second = await bus.consumer({ groupId, topics: [topic] });
      const again = await take(second, 6);
      await second.close();
      assert.deepEqual(again.map((record) => record.value), [4, 5, 6, 7, 8, 9]);
    });

    it('starts a new group at the end when asked for the latest records', async () => {
      const topic = await freshTopic();
      await send(topic, [{ key: 'a', value: 'old' }]);
      const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic], startFrom: 'latest' });
      await send(topic, [{ key: 'a', value: 'new' }]);
      const [record] = await take(consumer, 1);
      await consumer.close();
      assert.equal(record!.value, 'new');
    });

    it('reports lag until records are committed', async () => {
      const topic = await freshTopic();
      await send(topic, Array.from({ length: 8 }, (_, i) => ({ key: 'EUR', value: i })));
      const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
      const received = await take(consumer, 8);
      const partition = bus.partitionFor(topic, 'EUR');
      const before = (await consumer.lag()).find((lag) => lag.partition === partition);
      assert.equal(before?.lag, 8);
      await consumer.commit(received);
      await waitFor(async () => (await consumer.lag()).find((lag) => lag.partition === partition)?.lag === 0, 'lag to reach 0');
      await consumer.close();
    });

    it('ends iteration when the consumer is closed', async () => {
      const topic = await freshTopic();
      const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
      const iterating = (async () => {
        for await (const _batch of consumer) void _batch;
      })();
      await consumer.close();
      await within(iterating, 10_000, 'iteration to end after close');
    });
  });
}

function sortedValues(records: readonly BusRecord[]): number[] {
  return records.map((record) => record.value as number).sort((a, b) => a - b);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
