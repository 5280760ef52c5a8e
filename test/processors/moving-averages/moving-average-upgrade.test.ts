/**
 * An upgrade loses nothing: price events tickflow wrote before the seed contract (numeric timestamp,
 * `rawResponseId`, `alphavantage`), written to a real Kafka topic by kcat, are read by the new
 * moving-average processor together with records of the new shape.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { ManualClock } from '../../../src/clock.ts';
import type { MovingAverageRow } from '../../../src/indicators/moving-average.ts';
import { silentLogger } from '../../../src/logger.ts';
import { MovingAverageProcessor } from '../../../src/processors/moving-averages/moving-average-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { BOOTSTRAP, kcat } from '../../interop/tools.ts';
import { kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';
import { waitFor, within } from '../../support/wait.ts';

const T0 = Date.UTC(2024, 2, 20, 10, 30);
let fixture: KafkaFixture | undefined;
let runner: ProcessorRunner | undefined;
after(async () => {
  await within(runner?.stop() ?? Promise.resolve(), 20_000, 'stopping the runner');
  await within(fixture?.close() ?? Promise.resolve(), 20_000, 'closing the Kafka fixture');
});

/** As tickflow 0.x published them (LatestPriceService before the seed contract). */
const legacy = (price: number, ms: number, source: string, rawResponseId: number) => ({ type: 'price-event', symbol: 'IBM', price, timestamp: ms, source, rawResponseId, tsEvent: ms, tsRecv: ms + 300 });
const current = (price: number, ms: number) => ({ type: 'price-event', symbol: 'IBM', price, timestamp: new Date(ms).toISOString(), source: 'alpha_vantage', raw_response_id: '3f2b8c4e-9a1d-4e6f-b7c2-5d8e9f0a1b2c', tsEvent: ms, tsRecv: ms + 300 });

it('the moving-average processor reads old-format price events from Kafka, next to new ones', async () => {
  fixture = await kafkaFixture();
  const topic = fixture.uniqueName('price-events');
  await fixture.bus.ensureTopics([{ name: topic, partitions: 1 }]);
  const records = [legacy(100, T0, 'alphavantage', 41), legacy(102, T0 + 60_000, 'finnhub', 42), current(110, T0 + 120_000)];
  await kcat(['-P', '-b', BOOTSTRAP, '-t', topic, '-K', '\t'], { input: records.map((record) => `IBM\t${JSON.stringify(record)}\n`).join('') });

  const saved: MovingAverageRow[] = [];
  const processor = new MovingAverageProcessor({ input: topic, windows: [2], kinds: ['sma'], saveMovingAverages: async (rows) => void saved.push(...rows) });
  runner = new ProcessorRunner({ bus: fixture.bus, processor, groupId: fixture.uniqueName('group'), clock: new ManualClock(), logger: silentLogger() });
  await runner.start();

  await waitFor(() => saved.length >= 2, 'two SMA rows', 60_000);
  assert.deepEqual(saved, [
    { symbol: 'IBM', kind: 'sma', window: 2, ts: T0 + 60_000, value: 101 },
    { symbol: 'IBM', kind: 'sma', window: 2, ts: T0 + 120_000, value: 106 },
  ]);
  assert.deepEqual(processor.stats(), { events: 3, rows: 2, rejected: 0, skipped: 0, saves: processor.stats().saves, symbols: 1 });
});
