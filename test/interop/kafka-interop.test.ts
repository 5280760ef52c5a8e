/**
 * KafkaBus against clients nobody here wrote, on the real broker: Kafka's own Java console consumer
 * and producer, and kcat (librdkafka). Records cross in both directions with every compression, and
 * a key lands in the same partition whichever client produced it. Needs `java` (Kafka's tools, run by
 * scripts/kafka/kafka.sh) and `kcat` (apt-get install -y kcat); a missing one fails, never skips.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BusRecord } from '../../src/bus/bus.ts';
import { KafkaBus, KAFKA_COMPRESSIONS, type KafkaCompression } from '../../src/bus/kafka/kafka-bus.ts';
import { partitionForKey } from '../../src/bus/partitioner.ts';
import { tradeId, type Trade } from '../../src/model/trade.ts';
import { take } from '../contract/bus-contract.ts';
import { kafkaFixture, TEST_BUS_OPTIONS, type KafkaFixture } from '../support/kafka.ts';
import { within } from '../support/wait.ts';
import { storedCodecs } from './stored-compression.ts';
import { assembleJavaTools, BOOTSTRAP, kafkaTool, kcat, requireJava, requireKcat } from './tools.ts';

// Market symbols, keys from Kafka's own murmur2 test vectors, and multi-byte UTF-8 ones.
const KEYS = [
  'AAPL',
  'MSFT',
  'NVDA',
  'TSLA',
  'SPY',
  'OANDA:EUR_USD',
  'OANDA:GBP_USD',
  'BINANCE:BTCUSDT',
  'BINANCE:ETHUSDT',
  '21',
  'foobar',
  'a-little-bit-long-string',
  '日本株:7203',
  'ü',
  '🚀',
];
/** Records per key: enough to check that a key's records keep their order. */
const PER_KEY = 3;
const PARTITIONS = 7;
const SEPARATOR = '\t';
// Event times a minute old, whole seconds; the topics keep the broker's append time, so retention never sees them.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

/** A trade whose `source` names who produced it and how, so a reader can tell the records apart. */
function trade(source: string, key: string, n: number): Trade {
  return { type: 'trade', source, symbol: key, price: 100 + n / 100, size: n + 1, conditions: n % 2 === 0 ? ['1', '12'] : null, tsEvent: T0 + n, tsRecv: T0 + n + 5, seq: (T0 + n) * 1_000 + n };
}

/** `PER_KEY` trades for every key, interleaved (n counts up across keys), in send order. */
function trades(source: string): { key: string; value: Trade }[] {
  return Array.from({ length: KEYS.length * PER_KEY }, (_, n) => {
    const key = KEYS[n % KEYS.length]!;
    return { key, value: trade(source, key, n) };
  });
}

/** One line per record for a console producer / kcat -P: `key<TAB>json`. */
function lines(records: readonly { key: string; value: Trade }[]): string {
  return records.map(({ key, value }) => `${key}${SEPARATOR}${JSON.stringify(value)}\n`).join('');
}

interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string;
  readonly value: Trade;
}

/** When a batch was sent: tickflow's topics stamp records with the broker's append time, which falls in this window. */
interface SendWindow {
  readonly from: number;
  readonly to: number;
}

/** Checks what a foreign consumer read against what was sent: keys, values, partitions, append times, order per key. */
function assertReadBack(read: readonly ReadRecord[], sent: readonly { key: string; value: Trade }[], window: SendWindow, what: string): void {
  assert.equal(read.length, sent.length, `${what}: records read`);
  const byId = new Map(read.map((record) => [tradeId(record.value), record]));
  const last = new Map<string, number>();
  for (const { key, value } of sent) {
    const record = byId.get(tradeId(value));
    assert.ok(record, `${what}: record ${tradeId(value)} (key ${key}) was read`);
    assert.equal(record.key, key, `${what}: key of ${tradeId(value)}`);
    assert.deepEqual(record.value, value, `${what}: value of ${tradeId(value)}`);
    assert.equal(record.partition, partitionForKey(key, PARTITIONS), `${what}: partition of key ${key}`);
    assert.ok(record.timestamp >= window.from && record.timestamp <= window.to, `${what}: timestamp ${record.timestamp} of ${tradeId(value)} is the broker's append time (${window.from}..${window.to}), not the event time ${value.tsEvent}`);
    assert.ok(record.offset > (last.get(key) ?? -1), `${what}: records of key ${key} keep their order`);
    last.set(key, record.offset);
  }
}

/** Consumes `count` records of `topics` with a fresh KafkaBus group and checks placement against `bus.partitionFor`. */
async function readWithKafkaBus(fixture: KafkaFixture, topics: readonly string[], count: number): Promise<BusRecord<Trade>[]> {
  const consumer = await fixture.bus.consumer({ groupId: fixture.uniqueName('group'), topics });
  try {
    return (await take(consumer, count, 30_000)) as BusRecord<Trade>[];
  } finally {
    await within(consumer.close(), 10_000, 'closing the consumer');
  }
}

function assertPlacedLikeTickflow(fixture: KafkaFixture, received: readonly BusRecord<Trade>[], sent: readonly { key: string; value: Trade }[], what: string): void {
  assert.equal(received.length, sent.length, `${what}: records received`);
  const byId = new Map(received.map((record) => [tradeId(record.value), record]));
  assert.equal(byId.size, sent.length, `${what}: no record twice`);
  for (const { key, value } of sent) {
    const record = byId.get(tradeId(value));
    assert.ok(record, `${what}: record ${tradeId(value)} (key ${key}) received`);
    assert.equal(record.key, key, `${what}: key of ${tradeId(value)}`);
    assert.deepEqual(record.value, value, `${what}: value of ${tradeId(value)}`);
    assert.equal(record.partition, fixture.bus.partitionFor(record.topic, key), `${what}: key ${JSON.stringify(key)} is in the partition tickflow names`);
  }
  const used = new Set(received.map((record) => record.partition));
  assert.ok(used.size >= 4, `${what}: the keys spread over several partitions (got ${[...used].join(',')}), so placement is really tested`);
}

describe('kafka interoperability (Java tools, kcat)', () => {
  let fixture: KafkaFixture;

  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  // Java's tests wait for the tools' first assembly (once, then a checksum compare): a JVM-free kcat test still runs without Java.
  let javaReady: Promise<void> | undefined;
  const javaTools = () => {
    requireJava();
    return (javaReady ??= assembleJavaTools());
  };
  const JAVA_TEST = { timeout: 16 * 60_000 };

  /** Produces `trades(...)` with a KafkaBus of each compression, each into its own new topic. */
  async function produceWithKafkaBus(kind: string): Promise<Map<KafkaCompression, { topic: string; sent: { key: string; value: Trade }[]; window: SendWindow }>> {
    const produced = new Map<KafkaCompression, { topic: string; sent: { key: string; value: Trade }[]; window: SendWindow }>();
    for (const compression of KAFKA_COMPRESSIONS) {
      const topic = fixture.uniqueName(`${kind}-${compression}`);
      await fixture.bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
      const sent = trades(`kafkabus-${compression}`);
      // The fixture's bus has the default compression (snappy); the others get their own bus.
      const bus = compression === fixture.bus.options.compression ? fixture.bus : new KafkaBus({ ...TEST_BUS_OPTIONS, compression });
      const producer = bus.producer();
      const from = Date.now();
      try {
        await producer.send(
          topic,
          sent.map(({ key, value }) => ({ key, value, timestamp: value.tsEvent })),
        );
      } finally {
        await producer.close();
        if (bus !== fixture.bus) await bus.close();
      }
      // The broker's clock is this machine's; a second either side for its rounding and scheduling.
      produced.set(compression, { topic, sent, window: { from: from - 1_000, to: Date.now() + 1_000 } });
    }
    return produced;
  }

  it("Kafka's Java console consumer reads KafkaBus records (every compression): same keys, values, partitions; the broker's append time", JAVA_TEST, async () => {
    await javaTools();
    assert.equal(fixture.bus.options.compression, 'snappy', 'the default compression is snappy');
    const produced = await produceWithKafkaBus('to-java');
    const total = [...produced.values()].reduce((sum, { sent }) => sum + sent.length, 0);
    // One JVM for every topic: a pattern subscription over this test's topics.
    const prefix = fixture.uniqueName('to-java').replace(/to-java-\d+$/, '');
    const { stdout, stderr } = await kafkaTool(
      'console-consumer',
      [
        '--bootstrap-server', BOOTSTRAP,
        '--include', `${escapeRegex(prefix)}to-java-.*`,
        '--group', fixture.uniqueName('group'), // named, so the fixture deletes it afterwards
        '--from-beginning',
        '--max-messages', String(total),
        '--timeout-ms', '20000',
        '--property', 'print.key=true',
        '--property', 'print.partition=true',
        '--property', 'print.offset=true',
        '--property', 'print.timestamp=true',
        '--property', `key.separator=${SEPARATOR}`,
      ],
      { acceptExitCodes: [0, 1] },
    );
    const read = stdout.split('\n').filter(Boolean).map(parseConsoleConsumerLine);
    assert.equal(read.length, total, `records read by the console consumer; its stderr:\n${stderr}`);
    for (const [compression, { topic, sent, window }] of produced) {
      assert.deepEqual(await storedCodecs(topic), new Set([compression]), `KafkaBus stored its batches with ${compression}`);
      assertReadBack(
        read.filter((record) => record.value.source === `kafkabus-${compression}`),
        sent,
        window,
        `compression ${compression}`,
      );
    }
  });

  it("records from Kafka's Java console producer (snappy, lz4) reach a KafkaBus consumer, each key in the partition tickflow names", JAVA_TEST, async () => {
    await javaTools();
    const topic = fixture.uniqueName('from-java');
    await fixture.bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    const codecs = ['snappy', 'lz4'] as const;
    const sent = codecs.map((codec) => trades(`java-console-producer-${codec}`));
    // Two JVMs side by side: each producer has one compression codec.
    await Promise.all(
      codecs.map((codec, i) =>
        kafkaTool(
          'console-producer',
          [
            '--bootstrap-server', BOOTSTRAP,
            '--topic', topic,
            '--compression-codec', codec,
            '--property', 'parse.key=true',
            '--property', `key.separator=${SEPARATOR}`,
          ],
          { input: lines(sent[i]!) },
        ),
      ),
    );
    assert.deepEqual(await storedCodecs(topic), new Set(codecs), 'the console producers stored snappy and lz4 batches');
    const received = await readWithKafkaBus(fixture, [topic], sent.flat().length);
    assertPlacedLikeTickflow(fixture, received, sent.flat(), 'Java console producer');
    for (const [i, codec] of codecs.entries()) {
      const mine = received.filter((record) => record.value.source === `java-console-producer-${codec}`);
      assertOrderPerKey(mine, sent[i]!, `Java console producer, ${codec}`);
    }
  });

  it('kcat reads KafkaBus records (every compression): same keys, values, partitions; the broker\'s append time', async () => {
    requireKcat();
    const produced = await produceWithKafkaBus('to-kcat');
    for (const [compression, { topic, sent, window }] of produced) {
      // -e: exit at the end of every partition; a short fetch wait, or each empty partition costs 500 ms.
      const { stdout } = await kcat(['-C', '-b', BOOTSTRAP, '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=10', '-f', '%p\\t%o\\t%T\\t%k\\t%s\\n']);
      const read = stdout.split('\n').filter(Boolean).map((line) => {
        const [partition, offset, timestamp, key, ...value] = line.split(SEPARATOR);
        return { partition: Number(partition), offset: Number(offset), timestamp: Number(timestamp), key: key!, value: JSON.parse(value.join(SEPARATOR)) as Trade };
      });
      assert.deepEqual(await storedCodecs(topic), new Set([compression]), `KafkaBus stored its batches with ${compression}`);
      assertReadBack(read, sent, window, `kcat, compression ${compression}`);
    }
  });

  it('records from kcat (partitioner murmur2_random, every compression) land in the partition tickflow names', async () => {
    requireKcat();
    const topic = fixture.uniqueName('from-kcat');
    await fixture.bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    const sent = KAFKA_COMPRESSIONS.map((codec) => trades(`kcat-${codec}`));
    for (const [i, codec] of KAFKA_COMPRESSIONS.entries()) {
      await kcat(['-P', '-b', BOOTSTRAP, '-t', topic, '-K', SEPARATOR, '-z', codec, '-X', 'partitioner=murmur2_random'], { input: lines(sent[i]!) });
    }
    assert.deepEqual(await storedCodecs(topic), new Set(KAFKA_COMPRESSIONS), 'kcat stored batches with every codec');
    const received = await readWithKafkaBus(fixture, [topic], sent.flat().length);
    assertPlacedLikeTickflow(fixture, received, sent.flat(), 'kcat');
    for (const [i, codec] of KAFKA_COMPRESSIONS.entries()) {
      const mine = received.filter((record) => record.value.source === `kcat-${codec}`);
      assertOrderPerKey(mine, sent[i]!, `kcat, ${codec}`);
    }
  });
});

function assertOrderPerKey(received: readonly BusRecord<Trade>[], sent: readonly { key: string; value: Trade }[], what: string): void {
  for (const key of KEYS) {
    const expected = sent.filter((record) => record.key === key).map((record) => record.value.seq);
    const got = received.filter((record) => record.key === key).sort((a, b) => a.offset - b.offset).map((record) => record.value.seq);
    assert.deepEqual(got, expected, `${what}: records of key ${key} in send order`);
  }
}

/** `LogAppendTime:<ms>\tPartition:<n>\tOffset:<n>\t<key>\t<value>`, as DefaultMessageFormatter prints with these properties. */
function parseConsoleConsumerLine(line: string): ReadRecord {
  const [timestamp, partition, offset, key, ...value] = line.split(SEPARATOR);
  const field = (text: string | undefined, name: string) => {
    const prefix = `${name}:`;
    assert.ok(text !== undefined && text.startsWith(prefix), `console consumer line has ${name}: ${line}`);
    return Number(text.slice(prefix.length));
  };
  return {
    timestamp: field(timestamp, 'LogAppendTime'),
    partition: field(partition, 'Partition'),
    offset: field(offset, 'Offset'),
    key: key!,
    value: JSON.parse(value.join(SEPARATOR)) as Trade,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
