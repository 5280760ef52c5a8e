import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { KinesisSink } from '../../../src/processors/kinesis/kinesis-sink.ts';
import { topicNames } from '../../../src/topics.ts';
import { trade } from '../trade-factory.ts';
import { waitFor } from '../../support/wait.ts';
import { createStream, readAll, startKinesalite, TEST_CREDENTIALS } from './kinesis-support.ts';

const RAW = topicNames().raw;
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT'];

describe('kinesis sink against kinesalite', () => {
  let kinesis: Awaited<ReturnType<typeof startKinesalite>>;
  let streams = 0;
  const newStream = async (): Promise<string> => {
    const name = `tickflow-test-${++streams}`;
    await createStream(kinesis.client, name, 2);
    return name;
  };
  const sinkFor = (streamName: string, extra: Partial<ConstructorParameters<typeof KinesisSink>[0]> = {}) =>
    new KinesisSink({ streamName, region: 'us-east-1', endpoint: kinesis.endpoint, credentials: TEST_CREDENTIALS, retryBaseMs: 5, retryMaxMs: 50, ...extra });

  before(async () => {
    kinesis = await startKinesalite();
  });
  after(async () => {
    await kinesis.close();
  });

  it('publishes every trade from the bus exactly once, keyed by symbol, with ingestedAt', async () => {
    const streamName = await newStream();
    const bus = new MemoryBus({ defaultPartitions: 4 });
    const sink = sinkFor(streamName, { flushMs: 50 });
    assert.deepEqual(sink.topics, [RAW]);
    const runner = new ProcessorRunner({ bus, processor: sink, groupId: 'kinesis', clock: new ManualClock(), logger: silentLogger(), tickMs: 20 });
    await runner.start();
    const producer = bus.producer();
    const total = 3_000;
    const trades = Array.from({ length: total }, (_, i) => trade({ symbol: SYMBOLS[i % SYMBOLS.length]!, price: 100 + (i % 50) }));
    const startedAt = Date.now();
    for (let i = 0; i < total; i += 250) await producer.send(RAW, trades.slice(i, i + 250).map((t) => ({ key: t.symbol, value: t })));
    await waitFor(async () => (await runner.lag()).reduce((sum, p) => sum + p.lag, 0) === 0 && sink.stats().sent === total, 'every trade committed', 60_000);
    await runner.stop();
    const finishedAt = Date.now();
    await bus.close();
    assert.equal(sink.stats().rejected, 0);

    const read = await readAll(kinesis.client, streamName);
    assert.equal(read.length, total, 'each trade arrived once');
    assert.equal(new Set(read.map((r) => r.shardId)).size, 2, 'spread over both shards');
    const bySeq = new Map(trades.map((t) => [t.seq, t]));
    const seen = new Set<number>();
    const lastSeqByKey = new Map<string, number>();
    for (const record of read) {
      const { ingestedAt, ...value } = record.data;
      const sent = bySeq.get(value.seq as number);
      assert.ok(sent, `unknown record ${JSON.stringify(record.data)}`);
      assert.ok(!seen.has(sent.seq), `seq ${sent.seq} arrived twice`);
      seen.add(sent.seq);
      assert.deepEqual(value, sent);
      assert.equal(record.partitionKey, sent.symbol);
      assert.equal(typeof ingestedAt, 'number');
      assert.ok((ingestedAt as number) >= startedAt && (ingestedAt as number) <= finishedAt, 'ingestedAt is the send time');
      // A key lives in one shard, and its records are in the order they were produced.
      assert.ok(sent.seq > (lastSeqByKey.get(record.partitionKey) ?? -Infinity), `order of ${record.partitionKey}`);
      lastSeqByKey.set(record.partitionKey, sent.seq);
    }
    assert.equal(seen.size, total);
  });

  it('close() sends what is still pending and reports it durable', async () => {
    const streamName = await newStream();
    const sink = sinkFor(streamName, { batchSize: 500, flushMs: 600_000, topics: ['a', 'b'] });
    const records = Array.from({ length: 10 }, (_, i) => busRecord(i % 2 ? 'b' : 'a', i, 'AAPL', trade({ symbol: 'AAPL', price: 10 + i })));
    assert.deepEqual(await sink.process(records), [], 'nothing sent yet');
    assert.deepEqual(await sink.tick(), []);
    assert.equal(sink.stats().pending, 10);
    const durable = await sink.close();
    assert.deepEqual(durable, records);
    const read = await readAll(kinesis.client, streamName);
    assert.deepEqual(
      read.map((r) => r.data.price),
      records.map((r) => (r.value as { price: number }).price),
    );
    assert.deepEqual(await sink.close(), [], 'close is idempotent');
  });

  it('rejects a record over 1 MiB with an error log line, sends the rest, and commits both', async () => {
    const streamName = await newStream();
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          callback();
        },
      }),
    );
    const sink = sinkFor(streamName, { logger, flushMs: 600_000 });
    const huge = { type: 'trade', symbol: 'AAPL', blob: 'x'.repeat(1024 * 1024) };
    const records = [busRecord(RAW, 0, 'AAPL', trade({ price: 1, symbol: 'AAPL' })), busRecord(RAW, 1, 'AAPL', huge), busRecord(RAW, 2, 'AAPL', trade({ price: 2, symbol: 'AAPL' })), busRecord(RAW, 3, 'AAPL', 42)];
    await sink.process(records);
    assert.deepEqual(await sink.close(), records, 'the rejected record is committed too: it can never be sent');
    assert.equal(sink.stats().rejected, 1);
    assert.equal(sink.stats().sent, 3);
    const rejection = lines.find((line) => line.level === 50);
    assert.ok(rejection, 'an error line');
    assert.match(rejection.msg as string, /rejected a record .*1048576/);
    assert.equal(rejection.offset, 1);
    assert.equal(rejection.topic, RAW);
    const read = await readAll(kinesis.client, streamName);
    assert.deepEqual(
      read.map((r) => r.data.price ?? r.data.value),
      [1, 2, 42],
      'a non-object value is wrapped as {value, ingestedAt}',
    );
  });
});

function busRecord(topic: string, offset: number, key: string, value: unknown): BusRecord {
  return { topic, partition: 0, offset, key, value, timestamp: Date.now() };
}
