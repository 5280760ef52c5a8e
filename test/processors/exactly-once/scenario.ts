import type { BusRecord, OutgoingRecord } from '../../../src/bus/bus.ts';
import { partitionForKey } from '../../../src/bus/partitioner.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import { StatefulAggregator, type StatefulAggregatorOptions } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import type { StateRecord } from '../../../src/processors/runner/stateful-processor.ts';
import { ManualClock } from '../../../src/clock.ts';
import { SeededRandom } from '../../../src/sources/simulator/random.ts';

/** A market where a restart in the wrong place would show: small windows, frequent metrics, late trades, gaps. */
export const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT', 'BINANCE:ETHUSDT'];

export const AGGREGATOR_SETTINGS = { windowSize: 7, publishEvery: 3, barLatenessMs: 300, closeBarsOnEventTime: true } as const;

/**
 * Recent, and the same for the whole test process: topics delete records older than their retention
 * (the broker's default 24 h) within a minute, whatever their offsets.
 */
const START = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;

/**
 * `count` records over the symbols: trades (quotes for forex) ~4 ms apart in event time, about one in
 * ten up to 600 ms out of order (late for a 1 s bar with 300 ms lateness), a gap every ~500 records,
 * and one record the aggregator must reject. Deterministic for a seed.
 */
export function marketRecords(count: number, seed = 7): unknown[] {
  const random = new SeededRandom(seed);
  const prices = new Map(SYMBOLS.map((symbol, index) => [symbol, 50 + index * 40]));
  const records: unknown[] = [];
  let clock = START;
  for (let i = 0; i < count; i++) {
    clock += random.int(0, 8);
    const symbol = random.pick(SYMBOLS);
    if (i === Math.floor(count / 3)) {
      records.push({ type: 'trade', source: 'test', symbol, price: -1, size: 1, conditions: null, tsEvent: clock, tsRecv: clock + 3, seq: i });
      continue;
    }
    if (random.next() < 0.002) {
      records.push({ type: 'gap', source: 'test', symbol, reason: 'disconnect', tsEvent: clock, tsRecv: clock + 2 });
      continue;
    }
    const price = Math.max(0.01, prices.get(symbol)! * (1 + random.normal() * 0.001));
    prices.set(symbol, price);
    const tsEvent = random.next() < 0.1 ? clock - random.int(0, 600) : clock;
    if (symbol.startsWith('OANDA:')) {
      const spread = random.int(1, 4) / 10_000;
      records.push({ type: 'quote', source: 'test', symbol, bid: price, ask: price + spread, bidSize: null, askSize: null, tsEvent, tsRecv: clock + random.int(1, 20), seq: 1_000_000 + i });
      continue;
    }
    const size = symbol.startsWith('BINANCE:') ? random.int(1, 5000) / 1000 : random.int(1, 300);
    records.push({ type: 'trade', source: 'test', symbol, price, size, conditions: null, tsEvent, tsRecv: clock + random.int(1, 20), seq: 1_000_000 + i });
  }
  return records;
}

/** As the bus sink publishes them: keyed by symbol, stamped with the receive time. */
export function outgoing(records: readonly unknown[]): OutgoingRecord[] {
  return records.map((value) => {
    const record = value as MarketRecord;
    return { key: record.symbol, value, timestamp: record.tsRecv };
  });
}

export function aggregatorOptions(topics: { input: string; output: string; deadLetters: string }): StatefulAggregatorOptions {
  return { ...topics, ...AGGREGATOR_SETTINGS, clock: new ManualClock(0) };
}

/** Bus records as they land on a topic with `partitions` partitions, offsets per partition from 0. */
export function asBusRecords(topic: string, partitions: number, records: readonly OutgoingRecord[]): BusRecord[] {
  const next = new Array<number>(partitions).fill(0);
  return records.map((record) => {
    const partition = partitionForKey(record.key, partitions);
    return { topic, partition, offset: next[partition]!++, key: record.key, value: record.value, timestamp: record.timestamp! };
  });
}

/**
 * What the aggregator publishes for these input records in one uninterrupted run of the pure core,
 * per output partition (outputs keyed by symbol, so each input partition's outputs land in one).
 */
export function expectedOutputs(options: StatefulAggregatorOptions, input: readonly BusRecord[], outputPartitions: number): Map<string, unknown[][]> {
  const aggregator = new StatefulAggregator(options);
  const step = aggregator.process(input);
  return byTopicAndPartition(
    step.outputs.flatMap(({ topic, records }) => records.map((record) => ({ topic, key: record.key, value: record.value }))),
    outputPartitions,
  );
}

/** `topic` → per partition the values in order. */
export function byTopicAndPartition(records: ReadonlyArray<{ topic: string; key: string | null; value: unknown; partition?: number }>, partitions: number): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  for (const record of records) {
    let topic = out.get(record.topic);
    if (!topic) out.set(record.topic, (topic = Array.from({ length: partitions }, () => [])));
    topic[record.partition ?? partitionForKey(record.key ?? '', partitions)]!.push(record.value);
  }
  return out;
}

/** Applies state records as a compacted topic keeps them: the latest value per partition and key. */
export function compact(tables: Map<number, Map<string, unknown>>, records: readonly StateRecord[]): void {
  for (const { partition, key, value } of records) {
    let table = tables.get(partition);
    if (!table) tables.set(partition, (table = new Map()));
    // Through JSON, as on the topic.
    table.set(key, JSON.parse(JSON.stringify(value)));
  }
}
