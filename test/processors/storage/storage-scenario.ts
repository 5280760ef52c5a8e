import assert from 'node:assert/strict';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import type { Quote } from '../../../src/model/quote.ts';
import type { TradingSignal } from '../../../src/model/signal.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { StatefulAggregator } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import { PlainStatefulProcessor } from '../../../src/processors/runner/plain-stateful-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { DEFAULT_STRATEGY_CONFIG } from '../../../src/processors/signals/strategy-config.ts';
import { SignalsProcessor } from '../../../src/processors/signals/signals-processor.ts';
import { StorageProcessor } from '../../../src/processors/storage/storage-processor.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import { topicNames } from '../../../src/topics.ts';
import { waitFor, within } from '../../support/wait.ts';

const T0 = Date.UTC(2026, 10, 23, 14, 30);
const SYMBOLS = ['AAPL', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT'];
/** Quotes only: its quote bars are stored next to the trade bars, and it has no trades. */
const QUOTED = 'OANDA:GBP_USD';

async function count(store: SqlStore, table: string): Promise<number> {
  const { rows } = await store.driver.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/**
 * The embedded pipeline's storage path: trades and quotes → memory bus → aggregator → bars, quote bars and metrics →
 * signals processor (the default strategies) → trading signals, and the storage processor reading
 * all three topics into `store` through the runner. Then every record is delivered again to a
 * second storage group: nothing is stored twice.
 */
export async function storageScenario(store: SqlStore): Promise<void> {
  const topics = topicNames();
  const bus = new MemoryBus({ defaultPartitions: 2, retainPerPartition: 100_000 });
  await bus.ensureTopics([topics.raw, topics.metrics, topics.signals, topics.deadLetter].map((name) => ({ name, partitions: 2 })));
  const clock = new ManualClock(T0);
  const logger = silentLogger();
  const aggregator = new PlainStatefulProcessor(
    new StatefulAggregator({
      input: topics.raw,
      output: topics.metrics,
      deadLetters: topics.deadLetter,
      windowSize: 20,
      publishEvery: 10,
      // Longer than the whole run: no trade is late for its bar, so every one is in one.
      barLatenessMs: 600_000,
      closeBarsOnEventTime: true,
      clock,
    }),
    bus.producer(),
  );
  const signals = new SignalsProcessor({
    inputs: { raw: topics.raw, metrics: topics.metrics },
    output: topics.signals,
    deadLetters: topics.deadLetter,
    producer: bus.producer(),
    strategies: DEFAULT_STRATEGY_CONFIG,
    clock,
  });
  const storageTopics = { rawTopic: topics.raw, metricsTopic: topics.metrics, signalsTopic: topics.signals };
  const storage = new StorageProcessor({ store, ...storageTopics, batchSize: 200, flushMs: 20, deadLetters: { producer: bus.producer(), topic: topics.deadLetter } });
  const runners = [
    new ProcessorRunner({ bus, processor: aggregator, groupId: 'aggregator', clock, logger, tickMs: 10 }),
    new ProcessorRunner({ bus, processor: signals, groupId: 'signals', clock, logger, tickMs: 10 }),
    new ProcessorRunner({ bus, processor: storage, groupId: 'storage', clock, logger, tickMs: 10 }),
  ];
  for (const runner of runners) await runner.start();

  const trades: Trade[] = Array.from({ length: 1_500 }, (_, i) => ({
    type: 'trade',
    source: 'scenario',
    symbol: SYMBOLS[i % 3]!,
    price: 100 + (i % 17),
    size: i % 3 === 1 ? 0 : 1 + (i % 5),
    conditions: i % 2 ? ['1'] : null,
    tsEvent: T0 + i * 300,
    tsRecv: T0 + i * 300 + 4,
    seq: 1_800_000_000_000_000 + i,
  }));
  const quotes: Quote[] = Array.from({ length: 600 }, (_, i) => ({
    type: 'quote',
    source: 'scenario',
    symbol: QUOTED,
    bid: 1.25 + (i % 13) / 10_000,
    ask: 1.2502 + (i % 7) / 10_000,
    bidSize: i % 4 === 0 ? null : i % 5,
    askSize: null,
    tsEvent: T0 + i * 700,
    tsRecv: T0 + i * 700 + 2,
    seq: 1_800_000_000_100_000 + i,
  }));
  const producer = bus.producer();
  for (let i = 0; i < trades.length; i += 100) {
    await producer.send(topics.raw, trades.slice(i, i + 100).map((value) => ({ key: value.symbol, value })));
    await producer.send(topics.raw, quotes.slice(i * 0.4, (i + 100) * 0.4).map((value) => ({ key: value.symbol, value })));
  }
  await producer.send(topics.raw, [
    { key: 'AAPL', value: { type: 'gap', source: 'scenario', symbol: 'AAPL', reason: 'disconnect', tsEvent: T0 + 500_000, tsRecv: T0 + 500_000 } },
    { key: 'AAPL', value: { ...trades[0], price: -1 } },
    { key: 'AAPL', value: { type: 'quote', symbol: 'AAPL' } },
  ]);
  await producer.send(topics.metrics, [{ key: 'AAPL', value: { type: 'bar', symbol: 'AAPL', interval: '2m', tsEvent: T0, tsRecv: T0 } }, { key: 'AAPL', value: { type: 'quote' } }]);
  const wellFormed = { type: 'signal', symbol: 'AAPL', strategy: 'forged', side: 'buy', strength: 0.5, price: 100, tsEvent: T0, tsRecv: T0, reason: '', lineage: [] };
  await producer.send(topics.signals, [{ key: 'AAPL', value: { ...wellFormed, strength: 7 } }, { key: 'AAPL', value: { ...wellFormed, tsEvent: T0 + 0.5 } }]);

  // The aggregator's close publishes the bars still open (closeBarsOnEventTime); the signals
  // processor decides on them; then storage catches up.
  await waitFor(async () => (await runners[0]!.lag()).every((p) => p.lag === 0), 'the aggregator caught up');
  await within(runners[0]!.stop(), 10_000, 'stopping the aggregator');
  await waitFor(async () => (await runners[1]!.lag()).every((p) => p.lag === 0), 'the signals processor caught up', 20_000);
  await within(runners[1]!.stop(), 10_000, 'stopping the signals processor');
  await waitFor(async () => (await runners[2]!.lag()).every((p) => p.lag === 0), 'the storage caught up', 20_000);
  await within(runners[2]!.stop(), 10_000, 'stopping the storage');

  const published = aggregator.stats();
  assert.ok(published.bars! > 20 && published.metrics! > 100, JSON.stringify(published));
  assert.equal(await count(store, 'trades'), 1_500);
  assert.equal(await count(store, 'quotes'), 600);
  const quoteBars = await count(store, 'quote_bars');
  assert.ok(quoteBars > 10, `${quoteBars} quote bars`);
  assert.equal(await count(store, 'bars') + quoteBars, published.bars, 'the aggregator counts quote bars as bars');
  assert.equal(await count(store, 'window_metrics'), published.metrics);
  assert.deepEqual((await store.quotes({ symbol: QUOTED, limit: 10_000 })).quotes, quotes, 'the quotes as published, oldest first');
  const quoteMinutes = await store.quoteBars({ symbol: QUOTED, interval: '1m' });
  assert.equal(quoteMinutes.reduce((sum, bar) => sum + bar.count, 0), 600, 'every quote is in a stored minute quote bar');
  assert.equal(quoteMinutes[0]!.bid.open, quotes[0]!.bid);
  // Quotes and quote bars are valid input to the signals processor: only the forged records are rejected.
  assert.equal(signals.stats().rejected, 4);
  // Every signal published, stored once under its key (symbol, tsEvent, strategy, side).
  const publishedSignals = (await readAll(bus, topics.signals)).map((record) => record.value as TradingSignal).filter((signal) => signal.strategy !== 'forged');
  const byKey = new Map<string, TradingSignal>();
  for (const signal of publishedSignals) {
    const key = `${signal.symbol}\0${signal.tsEvent}\0${signal.strategy}\0${signal.side}`;
    if (!byKey.has(key)) byKey.set(key, signal);
  }
  assert.ok(publishedSignals.length > 10 && publishedSignals.length === signals.stats().signals, `${publishedSignals.length} signals published`);
  assert.equal(await count(store, 'signals'), byKey.size);
  for (const symbol of SYMBOLS) {
    const stored = await store.signals({ symbol, limit: 10_000 });
    const expected = [...byKey.values()].filter((signal) => signal.symbol === symbol).sort((a, b) => a.tsEvent - b.tsEvent || compare(a.strategy, b.strategy) || compare(a.side, b.side));
    assert.deepEqual(stored, expected, `${symbol}: the signals as published, oldest first`);
  }
  const stats = storage.stats();
  assert.deepEqual(
    { trades: stats.trades, quotes: stats.quotes, bars: stats.bars! + stats.quoteBars!, metrics: stats.metrics, signals: stats.signals, duplicates: stats.duplicates, gapsSkipped: stats.gapsSkipped, rejected: stats.rejected, pending: stats.pending },
    { trades: 1_500, quotes: 600, bars: published.bars, metrics: published.metrics, signals: byKey.size, duplicates: publishedSignals.length - byKey.size, gapsSkipped: 1, rejected: 6, pending: 0 },
  );
  const symbols = await store.symbols();
  assert.deepEqual(symbols.map((s) => [s.symbol, s.tradeCount]), [['AAPL', 500], ['BINANCE:BTCUSDT', 500], ['OANDA:EUR_USD', 500]]);
  const last = trades.at(-1)!;
  assert.equal((await store.latestPrice(last.symbol))?.seq, last.seq);
  const minuteBars = await store.bars({ symbol: 'AAPL', interval: '1m' });
  assert.equal(minuteBars.reduce((sum, b) => sum + b.count, 0), 500, 'every AAPL trade is in a stored minute bar');

  const letters = await readAll(bus, topics.deadLetter);
  const fromStorage = letters.map((record) => record.value as DeadLetter).filter((letter) => letter.origin === 'storage');
  assert.equal(fromStorage.length, 6);
  assert.ok(fromStorage.some((letter) => /price must be a positive number/.test(letter.reason)));
  assert.ok(fromStorage.some((letter) => /unknown bar interval "2m"/.test(letter.reason)));
  assert.ok(fromStorage.some((letter) => letter.reason.startsWith(`${topics.signals}[`) && /strength must be a number in \[0, 1\]/.test(letter.reason)));
  assert.ok(fromStorage.some((letter) => /tsEvent must be an integer/.test(letter.reason)));

  // Everything again, as after a crash before the commit: no second row anywhere.
  const again = new StorageProcessor({ store, ...storageTopics, batchSize: 500, flushMs: 20 });
  const rerun = new ProcessorRunner({ bus, processor: again, groupId: 'storage-again', clock, logger, tickMs: 10 });
  await rerun.start();
  await waitFor(async () => (await rerun.lag()).every((p) => p.lag === 0), 'the second storage group caught up', 20_000);
  await within(rerun.stop(), 10_000, 'stopping the second storage');
  assert.equal(again.stats().duplicates, 1_500 + 600 + published.bars! + published.metrics! + publishedSignals.length);
  assert.equal(again.stats().trades, 0);
  assert.equal(again.stats().quotes, 0);
  assert.equal(again.stats().quoteBars, 0);
  assert.equal(again.stats().signals, 0);
  assert.equal(await count(store, 'signals'), byKey.size);
  assert.equal(await count(store, 'trades'), 1_500);
  assert.equal(await count(store, 'quotes'), 600);
  assert.equal(await count(store, 'bars') + (await count(store, 'quote_bars')), published.bars);
  assert.equal(await count(store, 'window_metrics'), published.metrics);
  assert.deepEqual((await store.symbols()).map((s) => s.tradeCount), [500, 500, 500]);
  await bus.close();
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function readAll(bus: MemoryBus, topic: string): Promise<BusRecord[]> {
  const consumer = await bus.consumer({ groupId: `read-${topic}`, topics: [topic] });
  const end = (await consumer.lag()).reduce((sum, p) => sum + p.endOffset, 0);
  const records: BusRecord[] = [];
  for await (const batch of consumer) {
    records.push(...batch);
    if (records.length >= end) break;
  }
  await consumer.close();
  return records;
}
