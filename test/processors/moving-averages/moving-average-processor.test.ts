import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { isoUtc, type PriceEvent } from '../../../src/model/price-event.ts';
import { LatestPriceService } from '../../../src/prices/latest-price-service.ts';
import type { MovingAverageRow } from '../../../src/indicators/moving-average.ts';
import { MovingAverageProcessor } from '../../../src/processors/moving-averages/moving-average-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { topicNames } from '../../../src/topics.ts';
import { isPending, waitFor, within } from '../../support/wait.ts';
import { found, RawStore, rawId, ScriptedProvider } from '../../prices/support.ts';

const TOPIC = 'price-events';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 5_000, 'cleanup');
});

let offset = 0;
function event(symbol: string, price: number, timestamp: number): BusRecord {
  const value: PriceEvent = { type: 'price-event', symbol, price, timestamp: isoUtc(timestamp), source: 'finnhub', raw_response_id: rawId(offset + 1), tsEvent: timestamp, tsRecv: timestamp + 5 };
  return { topic: TOPIC, partition: 0, offset: offset++, key: symbol, value, timestamp };
}

function recordingSave() {
  const saved: MovingAverageRow[][] = [];
  return { saved, save: async (rows: readonly MovingAverageRow[]) => void saved.push([...rows]) };
}

describe('MovingAverageProcessor', () => {
  it('writes SMA and EMA rows per window once each window fills, stamped with the price time', async () => {
    const { saved, save } = recordingSave();
    const processor = new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, windows: [2, 3] });
    assert.deepEqual(processor.topics, [TOPIC]);
    const batch = [event('AAPL', 2, 1_000), event('AAPL', 4, 2_000), event('AAPL', 6, 3_000)];
    assert.deepEqual(await processor.process(batch), batch);
    assert.deepEqual(saved, [
      [
        { symbol: 'AAPL', kind: 'sma', window: 2, ts: 2_000, value: 3 },
        { symbol: 'AAPL', kind: 'ema', window: 2, ts: 2_000, value: 3 },
        { symbol: 'AAPL', kind: 'sma', window: 2, ts: 3_000, value: 5 },
        // EMA(2): 3 + 2/3 · (6 − 3) = 5
        { symbol: 'AAPL', kind: 'ema', window: 2, ts: 3_000, value: 5 },
        { symbol: 'AAPL', kind: 'sma', window: 3, ts: 3_000, value: 4 },
        { symbol: 'AAPL', kind: 'ema', window: 3, ts: 3_000, value: 4 },
      ],
    ]);
  });

  it('keeps state per symbol across batches', async () => {
    const { saved, save } = recordingSave();
    const processor = new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, windows: [2], kinds: ['sma'] });
    await processor.process([event('AAPL', 10, 1), event('MSFT', 100, 1)]);
    assert.equal(saved.length, 0, 'no window full yet: nothing to save');
    await processor.process([event('MSFT', 300, 2), event('AAPL', 20, 2)]);
    assert.deepEqual(saved.flat().map((row) => [row.symbol, row.value]), [['MSFT', 200], ['AAPL', 15]]);
    assert.equal(processor.stats().symbols, 2);
  });

  it('reports a batch durable only after the save resolved', async () => {
    const gate = Promise.withResolvers<void>();
    const processor = new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: () => gate.promise, windows: [1] });
    const batch = [event('AAPL', 1, 1)];
    const done = processor.process(batch);
    assert.ok(await isPending(done), 'waits for the save');
    gate.resolve();
    assert.deepEqual(await done, batch);
  });

  it('after a failed save, the redelivered batch gives the same rows: no price counted twice', async () => {
    let fail = true;
    const saved: MovingAverageRow[][] = [];
    const processor = new MovingAverageProcessor({
      input: TOPIC,
      windows: [2],
      saveMovingAverages: async (rows) => {
        if (fail) throw new Error('database down');
        saved.push([...rows]);
      },
    });
    await assert.rejects(processor.process([event('AAPL', 1, 1), event('AAPL', 3, 2)]), /database down/);
    fail = false;
    await processor.process([event('AAPL', 1, 1), event('AAPL', 3, 2)]);
    await processor.process([event('AAPL', 5, 3)]);
    assert.deepEqual(
      saved.flat().filter((row) => row.kind === 'sma').map((row) => row.value),
      [2, 4],
    );
    assert.equal(processor.stats().events, 3);
  });

  it('counts invalid records as rejected and skips prices not newer than the last one of their symbol', async () => {
    const { saved, save } = recordingSave();
    const processor = new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, windows: [2], kinds: ['sma'] });
    const bad = (value: unknown): BusRecord => ({ topic: TOPIC, partition: 0, offset: offset++, key: 'X', value, timestamp: 0 });
    const batch = [
      event('AAPL', 1, 10),
      bad({ type: 'price-event', symbol: 'AAPL', price: 0, timestamp: isoUtc(11), source: 'finnhub', raw_response_id: rawId(1), tsEvent: 11, tsRecv: 11 }),
      bad({ type: 'trade', symbol: 'AAPL' }),
      bad(null),
      event('AAPL', 50, 10),
      event('AAPL', 60, 9),
      event('AAPL', 3, 12),
    ];
    assert.deepEqual(await processor.process(batch), batch, 'the whole batch, rejects included, is done');
    assert.deepEqual(saved.flat().map((row) => row.value), [2]);
    assert.deepEqual(processor.stats(), { events: 2, rows: 1, rejected: 3, skipped: 2, saves: 1, symbols: 1 });
  });

  it('refuses bad options up front', () => {
    const save = async () => {};
    assert.throws(() => new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, windows: [0, 2.5] }), { code: 'TICKFLOW_CONFIG_INVALID', message: /windows/ });
    assert.throws(() => new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, windows: [5, 5] }), /repeat/);
    assert.throws(() => new MovingAverageProcessor({ input: TOPIC, saveMovingAverages: save, kinds: ['wma' as 'sma'] }), /kinds/);
  });
});

describe('price events through the bus', () => {
  it('service → price-events on the memory bus → MovingAverageProcessor under the runner, surviving a failed save', async () => {
    const topics = topicNames('ma-e2e-');
    const bus = new MemoryBus({ defaultPartitions: 2 });
    cleanups.push(() => bus.close());
    await bus.ensureTopics([{ name: topics.priceEvents, partitions: 2 }]);
    let failures = 1;
    const saved: MovingAverageRow[] = [];
    const processor = new MovingAverageProcessor({
      input: topics.priceEvents,
      windows: [2],
      saveMovingAverages: async (rows) => {
        if (failures-- > 0) throw new Error('store not ready');
        saved.push(...rows);
      },
    });
    const runner = new ProcessorRunner({ bus, processor, groupId: 'ma', clock: new ManualClock(), logger: silentLogger() });
    await runner.start();
    cleanups.push(() => runner.stop());

    const clock = new ManualClock(1_700_000_000_000);
    let next = 100;
    const provider = new ScriptedProvider('finnhub', (symbol) => found('finnhub', next, clock.now(), clock.now())(symbol));
    const raw = new RawStore();
    const producer = bus.producer();
    const service = new LatestPriceService({ providers: [provider], streamLatest: () => null, saveRawResponse: raw.save, producer, topic: topics.priceEvents, clock, cacheMs: 0 });
    for (const p of [100, 102, 104]) {
      next = p;
      clock.advanceTo(clock.now() + 1_000);
      assert.equal((await service.latest('AAPL')).ok, true);
    }
    await waitFor(() => saved.length >= 4, 'two SMA and two EMA rows');
    assert.deepEqual(
      saved.filter((row) => row.kind === 'sma').map((row) => row.value),
      [101, 103],
    );
    assert.equal(runner.status().failures, 1);
    await waitFor(async () => (await runner.lag()).every((lag) => lag.lag === 0), 'everything committed');
  });
});
