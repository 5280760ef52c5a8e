import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compatibilityPartitioner } from '@platformatic/kafka';
import { partitionForKey } from '../../src/bus/partitioner.ts';
import { take } from '../contract/bus-contract.ts';
import { kafkaFixture, type KafkaFixture } from '../support/kafka.ts';

// Keys from Kafka's own murmur2 test vectors (UtilsTest.testMurmur2), market symbols, and the odd ones.
const KEYS = [
  '21',
  'foobar',
  'a-little-bit-long-string',
  'a-little-bit-longer-string',
  'lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8',
  'abc',
  'AAPL',
  'MSFT',
  'NVDA',
  'TSLA',
  'SPY',
  'OANDA:EUR_USD',
  'OANDA:GBP_USD',
  'BINANCE:BTCUSDT',
  'BINANCE:ETHUSDT',
  '',
  'ü',
  '日本株:7203',
  '🚀',
];

describe('kafka partitioning', () => {
  it('compatibilityPartitioner (as the producer applies it) agrees with partitionForKey', () => {
    const keys = [...KEYS, ...Array.from({ length: 2_000 }, (_, i) => `K${i}:${(i * 7919).toString(36)}`)];
    for (const partitions of [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 50, 64, 100]) {
      for (const key of keys) {
        // The producer partitions the serialized key, then takes it modulo the partition count.
        const chosen = compatibilityPartitioner({ topic: 't', key }, Buffer.from(key, 'utf8')) % partitions;
        assert.equal(chosen, partitionForKey(key, partitions), `key ${JSON.stringify(key)}, ${partitions} partitions`);
      }
    }
  });

  describe('against the broker', () => {
    let fixture: KafkaFixture;
    before(async () => {
      fixture = await kafkaFixture();
    });
    after(() => fixture?.close());

    for (const partitions of [6, 7]) {
      it(`records land in the partition the Java client would choose (${partitions} partitions)`, async () => {
        const { bus } = fixture;
        const topic = fixture.uniqueName('partitioning');
        await bus.ensureTopics([{ name: topic, partitions }]);
        const producer = bus.producer();
        await producer.send(
          topic,
          KEYS.map((key, n) => ({ key, value: { n } })),
        );
        await producer.close();
        const consumer = await bus.consumer({ groupId: fixture.uniqueName('g'), topics: [topic] });
        const received = await take(consumer, KEYS.length);
        await consumer.close();
        assert.equal(received.length, KEYS.length);
        for (const record of received) {
          assert.equal(record.key, KEYS[(record.value as { n: number }).n], 'the key survives the round trip');
          assert.equal(record.partition, partitionForKey(record.key, partitions), `key ${JSON.stringify(record.key)}`);
          assert.equal(bus.partitionFor(topic, record.key), record.partition);
        }
      });
    }
  });
});
