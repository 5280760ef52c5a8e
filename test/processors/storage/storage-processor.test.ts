import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusProducer, BusRecord } from '../../../src/bus/bus.ts';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import { StorageProcessor } from '../../../src/processors/storage/storage-processor.ts';
import { ManualClock, type Clock } from '../../../src/clock.ts';
import { openPgliteStore } from '../../../src/store/pglite-store.ts';
import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import type { Store, WriteBatch, WriteResult } from '../../../src/store/store.ts';
import { isPending, waitFor, within } from '../../support/wait.ts';
import { TEST_DATABASE_URL, uniqueSchema } from '../../store/postgres-support.ts';
import { storageScenario } from './storage-scenario.ts';

/** A store whose writes finish when the test says so. */
class HeldStore {
  readonly writes: WriteBatch[] = [];
  readonly #waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  write(batch: WriteBatch): Promise<WriteResult> {
    this.writes.push(batch);
    return new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject })).then(() => ({ trades: batch.trades?.length ?? 0, bars: batch.bars?.length ?? 0, metrics: batch.metrics?.length ?? 0, signals: batch.signals?.length ?? 0, quotes: batch.quotes?.length ?? 0, quoteBars: batch.quoteBars?.length ?? 0 }));
  }

  commit(): void {
    this.#waiting.shift()!.resolve();
  }

  fail(): void {
    this.#waiting.shift()!.reject(new Error('connection lost'));
  }
}

let offset = 0;
function tradeRecord(symbol = 'AAPL'): BusRecord {
  offset++;
  const value = { type: 'trade', source: 'test', symbol, price: 10, size: 1, conditions: null, tsEvent: 1_000 + offset, tsRecv: 1_001 + offset, seq: offset };
  return { topic: 'raw', partition: 0, offset, key: symbol, value, timestamp: 1_000 + offset };
}

function signalRecord(symbol = 'AAPL'): BusRecord {
  offset++;
  const value = { type: 'signal', symbol, strategy: 'ma-crossover', side: 'buy', strength: 0.5, price: 10, tsEvent: 1_000 + offset, tsRecv: 1_001 + offset, reason: 'test', lineage: [{ topic: 'metrics', partition: 0, offset, recordType: 'bar', tsEvent: 1_000 + offset }] };
  return { topic: 'signals', partition: 0, offset, key: symbol, value, timestamp: 1_000 + offset };
}

function processor(store: HeldStore, options: { batchSize?: number; flushMs?: number; clock?: Clock } = {}): StorageProcessor {
  return new StorageProcessor({ store: store as unknown as Store, rawTopic: 'raw', metricsTopic: 'metrics', ...options });
}

/** What the processor reports durable once its write in flight has committed. */
async function durable(storage: StorageProcessor): Promise<readonly BusRecord[]> {
  for (let i = 0; i < 200; i++) {
    const done = await storage.tick();
    if (done.length > 0) return done;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return [];
}

describe('storage processor', () => {
  it('holds records until a batch is full and reports them durable only after the commit', async () => {
    const store = new HeldStore();
    const storage = processor(store, { batchSize: 3, flushMs: 60_000 });
    assert.deepEqual(await storage.process([tradeRecord(), tradeRecord()]), []);
    assert.equal(store.writes.length, 0);
    const batch = [tradeRecord()];
    assert.deepEqual(await storage.process(batch), [], 'the write is under way, not yet committed');
    assert.equal(store.writes.length, 1);
    assert.equal(store.writes[0]!.trades!.length, 3);
    assert.deepEqual(await storage.tick(), [], 'still not committed');
    store.commit();
    assert.equal((await durable(storage)).length, 3);
    assert.equal(storage.stats().trades, 3);
  });

  it('writes a partial batch once the oldest record waited flushMs, and the rest at close', async () => {
    const store = new HeldStore();
    const clock = new ManualClock(1_000);
    const storage = processor(store, { batchSize: 1_000, flushMs: 5, clock });
    await storage.process([tradeRecord()]);
    clock.advanceTo(1_004);
    assert.deepEqual(await storage.tick(), []);
    assert.equal(store.writes.length, 0, 'not yet flushMs old');
    clock.advanceTo(1_005);
    assert.deepEqual(await storage.tick(), []);
    assert.equal(store.writes.length, 1);
    store.commit();
    assert.equal((await durable(storage)).length, 1);
    await storage.process([tradeRecord(), tradeRecord()]);
    const closing = storage.close();
    await waitFor(() => store.writes.length === 2, 'the write at close');
    store.commit();
    assert.equal((await within(closing, 5_000, 'close')).length, 2);
  });

  it('waits for the write in flight before starting the next (backpressure, order kept)', async () => {
    const store = new HeldStore();
    const storage = processor(store, { batchSize: 1 });
    const first = [tradeRecord()];
    await storage.process(first);
    const second = storage.process([tradeRecord()]);
    assert.ok(await isPending(second), 'the second batch waits for the first commit');
    store.commit();
    assert.deepEqual(await second, first, 'the first batch is durable; the second is now being written');
    assert.equal(store.writes.length, 2);
    store.commit();
    await storage.close();
  });

  it('reports nothing durable when the transaction fails, so the records are read again', async () => {
    const store = new HeldStore();
    const storage = processor(store, { batchSize: 1 });
    await storage.process([tradeRecord(), tradeRecord()]);
    store.fail();
    await assert.rejects(durable(storage), /connection lost/);
    assert.equal(storage.stats().pending, 0);
    assert.equal(storage.stats().trades, 0);
  });

  it('counts and skips what it cannot store, and skips gaps', async () => {
    const store = new HeldStore();
    const storage = processor(store, { batchSize: 1 });
    const gap: BusRecord = { topic: 'raw', partition: 0, offset: 99, key: 'AAPL', timestamp: 0, value: { type: 'gap', source: 'test', symbol: 'AAPL', reason: 'stale', tsEvent: 5, tsRecv: 5 } };
    const bad: BusRecord = { ...tradeRecord(), value: { type: 'trade', symbol: 'AAPL' } };
    const odd: BusRecord = { topic: 'metrics', partition: 0, offset: 1, key: 'AAPL', timestamp: 0, value: 'not a record' };
    const good = tradeRecord();
    await storage.process([gap, bad, odd, good]);
    assert.deepEqual(store.writes[0], { trades: [good.value], bars: [], metrics: [], signals: [], quotes: [], quoteBars: [] });
    store.commit();
    assert.equal((await durable(storage)).length, 4, 'rejected and skipped records are done too');
    assert.deepEqual({ rejected: storage.stats().rejected, gapsSkipped: storage.stats().gapsSkipped }, { rejected: 2, gapsSkipped: 1 });
  });

  it('reads the signals topic only when given one, storing valid signals with the batch and dead-lettering the rest', async () => {
    assert.deepEqual(processor(new HeldStore()).topics, ['raw', 'metrics']);
    const store = new HeldStore();
    const sent: Array<{ topic: string; values: unknown[] }> = [];
    const producer = { send: async (topic: string, records: Array<{ value: unknown }>) => void sent.push({ topic, values: records.map((r) => r.value) }) };
    const storage = new StorageProcessor({
      store: store as unknown as Store,
      rawTopic: 'raw',
      metricsTopic: 'metrics',
      signalsTopic: 'signals',
      batchSize: 1,
      deadLetters: { producer: producer as unknown as BusProducer, topic: 'dead' },
    });
    assert.deepEqual(storage.topics, ['raw', 'metrics', 'signals']);
    const good = signalRecord();
    const invalid = { ...signalRecord(), value: { ...(signalRecord().value as object), side: 'hold' } };
    const unstorable = { ...signalRecord(), value: { ...(signalRecord().value as object), reason: 'nul\0here' } };
    const trade = tradeRecord();
    await storage.process([good, invalid, trade, unstorable]);
    await waitFor(() => store.writes.length > 0, 'the write, after the dead letters were sent');
    assert.deepEqual(store.writes[0], { trades: [trade.value], bars: [], metrics: [], signals: [good.value], quotes: [], quoteBars: [] });
    assert.equal(sent.length, 1, 'dead letters go out before the write');
    assert.equal(sent[0]!.topic, 'dead');
    assert.deepEqual(
      (sent[0]!.values as DeadLetter[]).map((letter) => [letter.origin, letter.reason]),
      [
        ['storage', `signals[0]@${invalid.offset}: side must be "buy" or "sell"`],
        ['storage', `signals[0]@${unstorable.offset}: reason must not contain NUL characters`],
      ],
    );
    store.commit();
    assert.equal((await durable(storage)).length, 4);
    assert.deepEqual({ signals: storage.stats().signals, trades: storage.stats().trades, rejected: storage.stats().rejected }, { signals: 1, trades: 1, rejected: 2 });

    const without = new HeldStore();
    const old = processor(without, { batchSize: 1 });
    await old.process([signalRecord()]);
    assert.deepEqual(without.writes[0]!.signals, [], 'a storage without signalsTopic stores no signals');
    without.commit();
    assert.equal((await durable(old)).length, 1);
    assert.equal(old.stats().rejected, 1);
  });

  describe('with the memory bus, the aggregator, the signals processor and PGlite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-storage-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('stores every trade, quote, bar, quote bar, metric and signal once, also when everything is delivered again', async () => {
      const store = await openPgliteStore({ dir: join(dir, 'store') });
      try {
        await storageScenario(store);
      } finally {
        await within(store.close(), 10_000, 'closing the store');
      }
    });
  });

  describe('with the memory bus, the aggregator, the signals processor and PostgreSQL', () => {
    it('stores every trade, quote, bar, quote bar, metric and signal once, also when everything is delivered again', async () => {
      const schema = await uniqueSchema('tickflow_storage');
      const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name });
      try {
        await storageScenario(store);
      } finally {
        await within(store.close(), 10_000, 'closing the store');
        await schema.drop();
      }
    });
  });
});
