import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Bus, BusProducer, BusRecord, OutgoingRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import { validateTradingSignal, type TradingSignal } from '../../../src/model/signal.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { SignalsProcessor, type SignalsProcessorOptions } from '../../../src/processors/signals/signals-processor.ts';
import { DEFAULT_STRATEGY_CONFIG, parseStrategyConfig } from '../../../src/processors/signals/strategy-config.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { topicNames } from '../../../src/topics.ts';
import { take } from '../../contract/bus-contract.ts';
import { capturingLogger } from '../../sources/finnhub/support.ts';
import { kafkaFixture } from '../../support/kafka.ts';
import { isPending, waitFor, within } from '../../support/wait.ts';
import { trade } from '../trade-factory.ts';
import { bar, gap, metrics, Partition, RecordingProducer, T0 } from './support.ts';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 15_000, 'cleanup');
});

const CROSSING = [12, 12, 9, 12, 15, 16, 10]; // EMA(2)/EMA(3): buy at bar 4, sell at bar 6 (see strategies.test.ts)
const STRATEGIES = parseStrategyConfig(
  JSON.stringify({
    default: [
      { strategy: 'ma-crossover', id: 'ema-2-3', fast: 2, slow: 3, strengthScalePct: 10 },
      { strategy: 'vwap-deviation', thresholdPct: 0.1 },
    ],
  }),
);
const TOPICS = { raw: 'raw', metrics: 'metrics', output: 'signals', deadLetters: 'dead' };

function processorWith(producer: BusProducer, overrides: Partial<SignalsProcessorOptions> = {}): SignalsProcessor {
  return new SignalsProcessor({ inputs: { raw: TOPICS.raw, metrics: TOPICS.metrics }, output: TOPICS.output, deadLetters: TOPICS.deadLetters, producer, strategies: STRATEGIES, clock: new ManualClock(T0 + 60_000), ...overrides });
}

describe('SignalsProcessor', () => {
  it('publishes each signal keyed by symbol, stamped with the clock, and reports the batch done only after the send', async () => {
    const producer = new RecordingProducer();
    const gate = Promise.withResolvers<void>();
    producer.gate = gate.promise;
    const processor = processorWith(producer);
    assert.equal(processor.name, 'signals');
    assert.deepEqual(processor.topics, ['raw', 'metrics']);
    const part = new Partition('metrics');
    const batch = [...CROSSING.map((close, n) => part.record(bar(n, close))), part.record(metrics(9, 10.05, 10))];
    const done = processor.process(batch);
    assert.ok(await isPending(done), 'waits for the producer');
    gate.resolve();
    assert.deepEqual(await done, batch);
    const [sent] = producer.sent;
    assert.equal(sent?.topic, 'signals');
    assert.deepEqual(sent?.records.map((r) => [r.key, (r.value as TradingSignal).strategy, (r.value as TradingSignal).side, r.timestamp]), [
      ['AAPL', 'ema-2-3', 'buy', bar(4, 15).tsEvent],
      ['AAPL', 'ema-2-3', 'sell', bar(6, 10).tsEvent],
      ['AAPL', 'vwap-deviation', 'sell', metrics(9, 10.05, 10).tsEvent],
    ]);
    for (const record of sent!.records) {
      assert.equal(typeof validateTradingSignal(record.value), 'object', String(validateTradingSignal(record.value)));
      assert.equal((record.value as TradingSignal).tsRecv, T0 + 60_000);
    }
    assert.deepEqual((sent!.records[0]!.value as TradingSignal).lineage, [
      { topic: 'metrics', partition: 0, offset: 3, recordType: 'bar', tsEvent: bar(3, 12).tsEvent },
      { topic: 'metrics', partition: 0, offset: 4, recordType: 'bar', tsEvent: bar(4, 15).tsEvent },
    ]);
    assert.deepEqual(processor.stats(), { records: 8, signals: 3, rejected: 0, redelivered: 0, pending: 0, symbols: 1, resets: 0, duplicateBars: 0, 'signals_ema-2-3': 2, 'signals_vwap-deviation': 1 });
  });

  it('dead-letters invalid records, logs where they were, and goes on with the rest', async () => {
    const producer = new RecordingProducer();
    const { lines, logger } = capturingLogger();
    const processor = processorWith(producer, { logger });
    const raw = new Partition('raw', 1);
    const agg = new Partition('metrics', 2);
    const batch = [
      raw.record(trade({ symbol: 'AAPL', price: 10 })),
      raw.record({ type: 'trade', symbol: 'AAPL', price: -1 }),
      ...CROSSING.slice(0, 4).map((close, n) => agg.record(bar(n, close))),
      agg.record({ ...bar(9, 1), interval: '5m' }),
      agg.record('not json at all'),
      raw.record(gap('MSFT')),
      ...CROSSING.slice(4).map((close, n) => agg.record(bar(n + 4, close))),
    ];
    assert.deepEqual(await processor.process(batch), batch, 'the rejects are committed too');
    const dead = producer.values('dead') as DeadLetter[];
    assert.deepEqual(dead.map((letter) => [letter.origin, letter.reason]), [
      ['signals', 'raw[1]@1: source missing'],
      ['signals', 'metrics[2]@4: unknown bar interval "5m"'],
      ['signals', 'metrics[2]@5: not an object'],
    ]);
    assert.equal(dead[2]!.raw, 'not json at all');
    assert.equal(dead[0]!.tsRecv, T0 + 60_000);
    assert.deepEqual(lines().map((line) => [line.topic, line.partition, line.offset, line.reason]), [
      ['raw', 1, 1, 'source missing'],
      ['metrics', 2, 4, 'unknown bar interval "5m"'],
      ['metrics', 2, 5, 'not an object'],
    ]);
    assert.deepEqual((producer.values('signals') as TradingSignal[]).map((s) => s.side), ['buy', 'sell'], 'the crossing after the bad records still fires');
    assert.equal(processor.stats().rejected, 3);
  });

  it('in a replay stamps each signal and dead letter with its input\'s receive time, whatever the clock says', async () => {
    const producer = new RecordingProducer();
    const processor = processorWith(producer, { stampWithInputTime: true });
    const part = new Partition('metrics');
    const bars = CROSSING.map((close, n) => part.record(bar(n, close)));
    const bad = { ...new Partition('metrics', 1).record('not a bar'), timestamp: T0 + 77 };
    await processor.process([...bars.slice(0, 5), bad, ...bars.slice(5)]);
    const signals = producer.values('signals') as TradingSignal[];
    assert.deepEqual(signals.map((signal) => [signal.side, signal.tsRecv]), [['buy', bar(4, 15).tsRecv], ['sell', bar(6, 10).tsRecv]]);
    assert.deepEqual((producer.values('dead') as DeadLetter[]).map((letter) => letter.tsRecv), [T0 + 77]);
  });

  it('after a failed send the redelivered batch is not applied twice and its signals go out once', async () => {
    const producer = new RecordingProducer();
    const processor = processorWith(producer);
    const part = new Partition('metrics');
    const bars = CROSSING.map((close, n) => part.record(bar(n, close)));
    producer.failures = 1;
    await assert.rejects(processor.process(bars.slice(0, 5)), /broker unavailable/);
    assert.equal(processor.stats().pending, 1);
    // The runner reads again from the last commit: the same five bars, then the rest.
    await processor.process(bars.slice(0, 5));
    await processor.process(bars.slice(5));
    assert.deepEqual((producer.values('signals') as TradingSignal[]).map((s) => [s.side, s.price]), [['buy', 15], ['sell', 10]]);
    assert.equal(processor.stats().redelivered, 5);
    assert.equal(processor.stats().signals, 2);
  });

  it('gives the same signals for the same records (deterministic) whatever the batching', async () => {
    const records = (() => {
      const part = new Partition('metrics');
      return CROSSING.flatMap((close, n) => [part.record(bar(n, close)), part.record(metrics(n, close * 1.01, close))]);
    })();
    const runWith = async (size: number) => {
      const producer = new RecordingProducer();
      const processor = processorWith(producer);
      for (let i = 0; i < records.length; i += size) await processor.process(records.slice(i, i + size));
      return producer.values('signals');
    };
    const whole = await runWith(records.length);
    assert.equal(whole.length, 3);
    assert.deepEqual(await runWith(1), whole);
    assert.deepEqual(await runWith(3), whole);
  });

  it('refuses incomplete options', () => {
    const producer = new RecordingProducer();
    assert.throws(() => processorWith(producer, { output: '' }), { code: 'TICKFLOW_CONFIG_INVALID', message: /output topic is required/ });
    assert.throws(() => processorWith(producer, { inputs: { raw: 'x', metrics: 'x' } }), /must differ/);
    assert.ok(processorWith(producer, { strategies: DEFAULT_STRATEGY_CONFIG }).stats()['signals_ma-crossover'] === 0);
  });
});

/** A producer that fails its first send to `topic`, then passes everything on. */
function failingOnce(inner: BusProducer, topic: string): BusProducer & { failed: number } {
  return {
    failed: 0,
    async send(to: string, records: readonly OutgoingRecord[]) {
      if (to === topic && this.failed === 0) {
        this.failed++;
        throw new Error('broker unavailable');
      }
      await inner.send(to, records);
    },
    close: () => inner.close(),
  };
}

async function readAll(bus: Bus, topic: string, groupId: string, count: number): Promise<BusRecord[]> {
  const consumer = await bus.consumer({ groupId, topics: [topic], startFrom: 'earliest' });
  try {
    return await take(consumer, count);
  } finally {
    await consumer.close();
  }
}

describe('signals processor on the bus', () => {
  it('memory bus: bars and trades in, signals out with lineage pointing at the real input records, bad records dead-lettered', async () => {
    const topics = topicNames('signals-e2e-');
    const bus = new MemoryBus({ defaultPartitions: 2 });
    cleanups.push(() => bus.close());
    await bus.ensureTopics([topics.raw, topics.metrics, topics.signals, topics.deadLetter].map((name) => ({ name, partitions: 2 })));
    const producer = failingOnce(bus.producer(), topics.signals);
    const processor = new SignalsProcessor({ inputs: { raw: topics.raw, metrics: topics.metrics }, output: topics.signals, deadLetters: topics.deadLetter, producer, strategies: STRATEGIES, clock: new ManualClock(T0 + 60_000), logger: silentLogger() });
    const runner = new ProcessorRunner({ bus, processor, groupId: 'signals', clock: new ManualClock(), logger: silentLogger() });
    await runner.start();
    cleanups.push(() => runner.stop());

    const feed = bus.producer();
    for (let n = 0; n < CROSSING.length; n++) {
      const close = CROSSING[n]!;
      await feed.send(topics.raw, [{ key: 'AAPL', value: trade({ symbol: 'AAPL', price: close, tsEvent: T0 + n * 1_000 }) }]);
      await feed.send(topics.metrics, [
        { key: 'AAPL', value: bar(n, close) },
        { key: 'MSFT', value: bar(n, 100 - close, { symbol: 'MSFT' }) },
      ]);
      if (n === 2) await feed.send(topics.metrics, [{ key: 'AAPL', value: { type: 'bar', symbol: 'AAPL', close: 'twelve' } }]);
    }
    const expected = 4; // AAPL buy + sell, MSFT sell + buy
    await waitFor(() => processor.stats().signals === expected, `${expected} signals (stats ${JSON.stringify(processor.stats())})`);
    await waitFor(async () => (await runner.lag()).every((lag) => lag.lag === 0), 'everything committed');
    assert.equal(producer.failed, 1, 'the first signal send failed and the runner retried');
    assert.equal(runner.status().failures, 1);

    const signals = (await readAll(bus, topics.signals, 'check-signals', expected)).map((record) => ({ record, signal: record.value as TradingSignal }));
    assert.equal(signals.length, expected, 'no duplicate after the retry');
    const inputs = await readAll(bus, topics.metrics, 'check-inputs', CROSSING.length * 2 + 1);
    const at = (topic: string, partition: number, offset: number) => inputs.find((r) => r.topic === topic && r.partition === partition && r.offset === offset);
    assert.deepEqual(signals.map(({ signal }) => `${signal.symbol} ${signal.side}`).sort(), ['AAPL buy', 'AAPL sell', 'MSFT buy', 'MSFT sell']);
    for (const { record, signal } of signals) {
      assert.equal(record.key, signal.symbol);
      assert.equal(record.partition, bus.partitionFor(topics.signals, signal.symbol));
      assert.equal(record.timestamp, signal.tsEvent);
      assert.equal(signal.lineage.length, 2);
      for (const input of signal.lineage) {
        const source = at(input.topic, input.partition, input.offset);
        assert.ok(source, `lineage ${JSON.stringify(input)} names a record on the bus`);
        const value = source.value as { type: string; symbol: string; tsEvent: number };
        assert.deepEqual([value.type, value.symbol, value.tsEvent], [input.recordType, signal.symbol, input.tsEvent]);
      }
      const last = at(signal.lineage[1]!.topic, signal.lineage[1]!.partition, signal.lineage[1]!.offset)!;
      assert.equal((last.value as { close: number }).close, signal.price, 'the crossing bar is the last input');
    }
    const [letter] = await readAll(bus, topics.deadLetter, 'check-dead', 1);
    assert.match((letter!.value as DeadLetter).reason, new RegExp(`^${topics.metrics}\\[\\d\\]@\\d+: tsEvent/tsRecv must be numbers$`));
    assert.equal(processor.stats().rejected, 1);
  });

  it('kafka: runs on the broker and publishes signals keyed by symbol to their partition', async () => {
    const fixture = await kafkaFixture();
    cleanups.push(() => fixture.close());
    const { bus } = fixture;
    const name = (kind: string) => fixture.uniqueName(kind);
    const topics = { raw: name('raw'), metrics: name('metrics'), signals: name('signals'), dead: name('dead') };
    await bus.ensureTopics(Object.values(topics).map((topic) => ({ name: topic, partitions: 3 })));
    const processor = new SignalsProcessor({ inputs: { raw: topics.raw, metrics: topics.metrics }, output: topics.signals, deadLetters: topics.dead, producer: bus.producer(), strategies: STRATEGIES, clock: new ManualClock(T0 + 60_000) });
    const runner = new ProcessorRunner({ bus, processor, groupId: name('signals'), clock: new ManualClock(), logger: silentLogger() });
    await runner.start();
    cleanups.push(() => runner.stop());

    const symbols = ['AAPL', 'MSFT', 'BINANCE:BTCUSDT'];
    const feed = bus.producer();
    cleanups.push(() => feed.close());
    await feed.send(
      topics.metrics,
      CROSSING.flatMap((close, n) => symbols.map((symbol) => ({ key: symbol, value: bar(n, close, { symbol }) }))),
    );
    const received = await readAll(bus, topics.signals, name('check'), symbols.length * 2);
    assert.equal(received.length, symbols.length * 2);
    for (const record of received) {
      const signal = validateTradingSignal(record.value);
      assert.ok(typeof signal === 'object', String(signal));
      assert.equal(record.key, signal.symbol);
      assert.equal(record.partition, bus.partitionFor(topics.signals, signal.symbol));
      assert.equal(signal.lineage.at(-1)!.topic, topics.metrics);
    }
    for (const symbol of symbols) {
      assert.deepEqual(received.filter((r) => r.key === symbol).map((r) => (r.value as TradingSignal).side), ['buy', 'sell'], `${symbol}: in order`);
    }
    await waitFor(() => processor.stats().signals === symbols.length * 2, 'the processor counted them');
  });
});
