import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusProducer, BusRecord, OutgoingRecord } from '../../../src/bus/bus.ts';
import { CLOCK_KEY, decodeAggregatorState } from '../../../src/processors/aggregator/aggregator-state.ts';
import { StatefulAggregator } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import { SymbolWindow } from '../../../src/processors/aggregator/symbol-window.ts';
import { PlainStatefulProcessor } from '../../../src/processors/runner/plain-stateful-processor.ts';
import type { StepResult } from '../../../src/processors/runner/stateful-processor.ts';
import { SeededRandom } from '../../../src/sources/simulator/random.ts';
import { trade } from '../trade-factory.ts';
import { aggregatorOptions, asBusRecords, byTopicAndPartition, compact, expectedOutputs, marketRecords, outgoing } from './scenario.ts';

const PARTITIONS = 4;
const topics = { input: 'raw', output: 'metrics', deadLetters: 'dead' };
const input = asBusRecords('raw', PARTITIONS, outgoing(marketRecords(3_000)));
const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS);

function outputsOf(steps: readonly StepResult[]): Map<string, unknown[][]> {
  return byTopicAndPartition(
    steps.flatMap((step) => step.outputs.flatMap(({ topic, records }) => records.map((record) => ({ topic, key: record.key, value: record.value })))),
    PARTITIONS,
  );
}

/** Splits into batches of 1 to `max` records, as a consumer might hand them out. */
function batches(records: readonly BusRecord[], max: number, seed: number): BusRecord[][] {
  const random = new SeededRandom(seed);
  const out: BusRecord[][] = [];
  for (let at = 0; at < records.length; ) {
    const size = random.int(1, max);
    out.push(records.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('aggregator state', () => {
  it('publishes the same outputs whatever the batches (bars close on each partition\'s own event time)', () => {
    assert.ok(expected.get('metrics')!.flat().length > 900, 'the scenario publishes plenty');
    assert.ok(expected.get('metrics')!.flat().some((value) => (value as { type: string }).type === 'bar'));
    assert.ok(expected.get('metrics')!.flat().filter((value) => (value as { type: string }).type === 'quote-bar').length >= 10, 'and quote bars (forex quotes)');
    for (const [max, seed] of [[1, 1], [17, 2], [400, 3]] as const) {
      const aggregator = new StatefulAggregator(aggregatorOptions(topics));
      assert.deepStrictEqual(outputsOf(batches(input, max, seed).map((batch) => aggregator.process(batch))), expected);
    }
  });

  it('continues bit for bit from saved state: restarted anywhere, the outputs are those of an uninterrupted run', () => {
    for (const cut of [1, 2, 101, 1_000, 1_517, 2_999]) {
      const first = new StatefulAggregator(aggregatorOptions(topics));
      const tables = new Map<number, Map<string, unknown>>();
      const steps: StepResult[] = [];
      for (const batch of batches(input.slice(0, cut), 50, cut)) {
        const step = first.process(batch);
        steps.push(step);
        compact(tables, step.state);
      }
      const second = new StatefulAggregator(aggregatorOptions(topics));
      for (let partition = 0; partition < PARTITIONS; partition++) second.restore(partition, tables.get(partition) ?? new Map());
      for (const batch of batches(input.slice(cut), 50, cut + 1)) steps.push(second.process(batch));
      assert.deepStrictEqual(outputsOf(steps), expected, `restart after ${cut} records`);
    }
  });

  it('saves only what a batch changed, plus the partition clock', () => {
    const aggregator = new StatefulAggregator(aggregatorOptions(topics));
    const step = aggregator.process([{ topic: 'raw', partition: 2, offset: 0, key: 'AAA', value: trade({ symbol: 'AAA', price: 10 }), timestamp: 1 }]);
    assert.deepEqual(
      step.state.map(({ partition, key }) => `${partition}/${key}`),
      ['2/AAA', `2/${CLOCK_KEY}`],
    );
  });

  it('restores a window into a shorter one keeping its newest trades', () => {
    const window = new SymbolWindow('AAA', 5);
    for (const price of [10, 11, 12, 13, 14, 15, 16]) window.add(trade({ price }));
    const shorter = SymbolWindow.restore('AAA', 3, JSON.parse(JSON.stringify(window.snapshot())));
    const metrics = shorter.metrics()!;
    assert.deepEqual([metrics.count, metrics.first, metrics.last, metrics.min, metrics.max, metrics.avg], [3, 14, 16, 14, 16, 15]);
  });

  it('saves quote bars in the symbol state, and reads a version 1 state (no quote bars) as one without them', () => {
    const aggregator = new StatefulAggregator(aggregatorOptions(topics));
    const value = { type: 'quote', source: 'test', symbol: 'OANDA:EUR_USD', bid: 1.1, ask: 1.2, bidSize: 3, askSize: null, tsEvent: 1_000, tsRecv: 1_001, seq: 1 };
    const step = aggregator.process([{ topic: 'raw', partition: 1, offset: 0, key: value.symbol, value, timestamp: 1_001 }]);
    const saved = step.state.find((record) => record.key === value.symbol)!.value as { v: number; window: unknown; bars: unknown; quoteBars: { open: unknown[] } };
    assert.deepEqual([saved.v, saved.window, saved.bars, saved.quoteBars.open.length], [2, null, null, 2], 'a 1 s and a 1 m quote bar open');
    const decoded = decodeAggregatorState(value.symbol, JSON.parse(JSON.stringify(saved)));
    assert.equal(decoded.kind === 'symbol' && decoded.state.quoteBars?.open.length, 2);
    const v1 = decodeAggregatorState('AAPL', { v: 1, kind: 'symbol', symbol: 'AAPL', window: null, bars: { maxEvent: 5, open: [] } });
    assert.deepEqual(v1, { kind: 'symbol', state: { symbol: 'AAPL', window: null, bars: { maxEvent: 5, open: [], carried: [] }, quoteBars: null } });
    assert.deepEqual(decodeAggregatorState(CLOCK_KEY, { v: 1, kind: 'clock', eventTime: 5, watermark: null }), { kind: 'clock', state: { eventTime: 5, watermark: null } });
    assert.throws(() => decodeAggregatorState('AAPL', { v: 1, kind: 'symbol', symbol: 'AAPL', window: null, bars: null, quoteBars: null }), /unreadable/, 'version 1 had no quote bars');
    assert.throws(() => decodeAggregatorState('AAPL', { v: 2, kind: 'symbol', symbol: 'AAPL', window: null, bars: null }), /unreadable/, 'version 2 always has them');
  });

  it('refuses state it cannot read rather than continuing from a guess', () => {
    assert.throws(() => decodeAggregatorState('AAPL', { v: 99, kind: 'symbol' }), /unreadable aggregator state under key "AAPL"/);
    assert.throws(() => decodeAggregatorState('AAPL', { v: 1, kind: 'symbol', symbol: 'MSFT', window: null, bars: null }), /is for symbol "MSFT"/);
    assert.throws(() => decodeAggregatorState(CLOCK_KEY, { v: 1, kind: 'clock', eventTime: 'soon', watermark: null }), /unreadable/);
  });

  it('runs plainly too (embedded bus): outputs sent, the batch reported durable once they were', async () => {
    const sent: Array<{ topic: string; key: string | null; value: unknown }> = [];
    const producer: BusProducer = {
      send: async (topic: string, records: readonly OutgoingRecord[]) => void sent.push(...records.map((record) => ({ topic, key: record.key, value: record.value }))),
      close: async () => {},
    };
    const plain = new PlainStatefulProcessor(new StatefulAggregator(aggregatorOptions(topics)), producer);
    assert.deepEqual(plain.topics, ['raw']);
    for (const batch of batches(input, 300, 9)) assert.equal(await plain.process(batch), batch);
    assert.deepStrictEqual(byTopicAndPartition(sent, PARTITIONS), expected);
  });
});
