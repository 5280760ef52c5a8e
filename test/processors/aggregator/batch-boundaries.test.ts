import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import { StatefulAggregator } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import { PlainStatefulProcessor } from '../../../src/processors/runner/plain-stateful-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { waitFor, within } from '../../support/wait.ts';

const T0 = Date.UTC(2026, 10, 23, 14, 30);
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'BINANCE:BTCUSDT', 'OANDA:EUR_USD'];
const PARTITIONS = 4;
const TOPICS = { raw: 'raw', metrics: 'metrics', deadLetters: 'dead' } as const;

/**
 * Several symbols per partition, each symbol in time order, the symbols interleaved with up to
 * 1.5 s of disorder between them (as feeds deliver), a gap and two records the aggregator refuses.
 */
function input(): unknown[] {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const last = new Map<string, number>();
  const records: unknown[] = [];
  for (let i = 0; i < 3_000; i++) {
    const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
    const tsEvent = Math.max(last.get(symbol) ?? 0, T0 + i * 60 - Math.floor(random() * 1_500));
    last.set(symbol, tsEvent);
    records.push({ type: 'trade', source: 'test', symbol, price: 100 + Math.round(random() * 500) / 100, size: 1 + Math.floor(random() * 9), conditions: null, tsEvent, tsRecv: tsEvent + 3, seq: i });
    if (i === 1_000) records.push({ type: 'gap', source: 'test', symbol, reason: 'disconnect', tsEvent, tsRecv: tsEvent + 3 } satisfies MarketRecord);
    if (i === 1_500) records.push({ type: 'trade', symbol, price: -1 }, { type: 'trade', source: 'test', symbol: '__clock__', price: 1, size: 1, conditions: null, tsEvent, tsRecv: tsEvent, seq: -1 });
  }
  return records;
}

/** Everything the aggregator published: its metrics and bars per partition in offset order, its dead letters. */
async function aggregate(records: readonly unknown[], maxBatchSize: number): Promise<{ output: Record<string, unknown[]>; stats: Readonly<Record<string, number>> }> {
  const bus = new MemoryBus({ defaultPartitions: PARTITIONS, maxBatchSize, retainPerPartition: 1_000_000 });
  const clock = new ManualClock(T0);
  const producer = bus.producer();
  for (const value of records) await producer.send(TOPICS.raw, [{ key: (value as { symbol: string }).symbol, value, timestamp: T0 }]);
  const aggregator = new PlainStatefulProcessor(
    new StatefulAggregator({ input: TOPICS.raw, output: TOPICS.metrics, deadLetters: TOPICS.deadLetters, windowSize: 20, publishEvery: 7, barLatenessMs: 500, closeBarsOnEventTime: true, clock }),
    bus.producer(),
  );
  const runner = new ProcessorRunner({ bus, processor: aggregator, groupId: 'aggregator', clock, logger: silentLogger() });
  await runner.start();
  await waitFor(async () => (await runner.lag()).every((partition) => partition.lag === 0), 'the aggregator to catch up', 60_000);
  // The end of the input: the bars still open are complete.
  await within(runner.stop(), 10_000, 'stopping the aggregator');
  const output: Record<string, unknown[]> = {};
  for (const log of bus.partitionsOf(TOPICS.metrics)) output[`metrics[${log.partition}]`] = log.read(0, log.endOffset).map((record) => [record.key, record.timestamp, record.value]);
  // Dead letters of every input partition share one key: how those of two partitions interleave is the batches' doing.
  output.deadLetters = bus
    .partitionsOf(TOPICS.deadLetters)
    .flatMap((log) => log.read(0, log.endOffset))
    .map((record) => JSON.stringify([record.key, record.timestamp, record.value]))
    .sort();
  await bus.close();
  return { output, stats: aggregator.stats() };
}

describe('the aggregator on the embedded bus', () => {
  it('publishes the same metrics, bars and dead letters whatever the batch boundaries', async () => {
    const records = input();
    const { output: expected, stats } = await aggregate(records, 1);
    // The case is not trivial: some trades came too late for their bar, some bars closed at the end.
    assert.ok(stats.lateTrades! > 0 && stats.bars! > 100 && stats.metrics! > 100 && stats.rejected === 2, JSON.stringify(stats));
    for (const maxBatchSize of [7, 64, 500, 10_000]) {
      const { output } = await aggregate(records, maxBatchSize);
      assert.deepStrictEqual(output, expected, `batches of at most ${maxBatchSize} records`);
    }
  });

  it('completes every open bar at the end of a replay (event time), and leaves them out when live (clock)', async () => {
    const trades = [0, 1_500, 61_000].map((offset, seq) => ({ type: 'trade', source: 'test', symbol: 'AAPL', price: 100 + seq, size: 1, conditions: null, tsEvent: T0 + offset, tsRecv: T0 + offset + 3, seq }));
    const batch = trades.map((value, offset) => ({ topic: TOPICS.raw, partition: 0, offset, key: 'AAPL', value, timestamp: value.tsRecv }));
    const closed = (closeBarsOnEventTime: boolean) => {
      const aggregator = new StatefulAggregator({ input: TOPICS.raw, output: TOPICS.metrics, deadLetters: TOPICS.deadLetters, windowSize: 20, publishEvery: 100, barLatenessMs: 0, closeBarsOnEventTime, clock: new ManualClock(T0) });
      aggregator.process(batch);
      return aggregator.flush().outputs.flatMap(({ records }) => records.map(({ value }) => value as { interval: string; start: number; tsRecv: number }));
    };
    // On event time the 14:30 minute and its seconds closed on the trade at 14:31:01; the rest closes at the end, at the last receive time.
    assert.deepEqual(closed(true).map(({ interval, start, tsRecv }) => [interval, start - T0, tsRecv - T0]), [['1s', 61_000, 61_003], ['1m', 60_000, 61_003]]);
    assert.deepEqual(closed(false), []);
  });
});
