import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BusConsumer, BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import type { AlertFiring } from '../../../src/model/alert.ts';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { AlertsProcessor, type AlertsProcessorStore } from '../../../src/processors/alerts/alerts-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openPgliteStore } from '../../../src/store/pglite-store.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import { topicNames } from '../../../src/topics.ts';
import { waitFor, within } from '../../support/wait.ts';
import { RecordingProducer } from '../signals/support.ts';

const T0 = Date.UTC(2026, 10, 23, 16, 0);
const topics = topicNames();
const logger = silentLogger();
const root = mkdtempSync(join(tmpdir(), 'tickflow-alerts-'));
let store: SqlStore;

before(async () => {
  store = await openPgliteStore({ dir: join(root, 'store') });
});
after(async () => {
  await within(store.close(), 10_000, 'closing the store');
  rmSync(root, { recursive: true, force: true });
});

let seq = 1_800_000_000_000_000;
function trade(symbol: string, price: number, ts: number): Trade {
  return { type: 'trade', source: 'test', symbol, price, size: 1, conditions: null, tsEvent: ts, tsRecv: ts + 2, seq: seq++ };
}

let offset = 0;
function record(value: unknown, topic = topics.raw): BusRecord {
  return { topic, partition: 0, offset: offset++, key: 'k', value, timestamp: 0 };
}

/** Reads a topic in the background, from the start, committing as it goes. */
async function reader(bus: MemoryBus, topic: string): Promise<{ values: unknown[]; stop(): Promise<void> }> {
  const consumer: BusConsumer = await bus.consumer({ groupId: `reader-${topic}-${offset++}`, topics: [topic] });
  const values: unknown[] = [];
  const loop = (async () => {
    for await (const batch of consumer) {
      values.push(...batch.map((r) => r.value));
      await consumer.commit(batch);
    }
  })();
  return { values, stop: async () => { await consumer.close(); await loop; } };
}

const ids = (values: readonly unknown[]): string[] => values.map((value) => (value as AlertFiring).id);

describe('AlertsProcessor', () => {
  it('publishes firings keyed by symbol, records them with the states, passes over quotes, and dead-letters invalid input', async () => {
    const rule = await store.createAlertRule({ symbol: 'UNIT', condition: { kind: 'price-above', threshold: 10 }, note: 'ten' });
    const producer = new RecordingProducer();
    const processor = new AlertsProcessor({ input: topics.raw, output: topics.alerts, deadLetters: topics.deadLetter, producer, store, clock: new ManualClock(T0), logger });
    assert.equal(processor.name, 'alerts');
    assert.deepEqual(processor.topics, [topics.raw]);
    const batch = [record(trade('UNIT', 9, T0)), record(trade('UNIT', 11, T0 + 1)), record({ type: 'trade', symbol: 'UNIT' }), record({ ...trade('UNIT', 12, T0 + 2), tsRecv: 1.5 }), record(trade('UNIT', 12, T0 + 3))];
    // A quote far above the threshold moves no rule: rules are on trade prices.
    batch.splice(1, 0, record({ type: 'quote', source: 'lean', symbol: 'UNIT', bid: 50, ask: 51, bidSize: null, askSize: null, tsEvent: T0, tsRecv: T0, seq: 1 }));
    assert.deepEqual(await processor.process(batch), batch);
    const firing = producer.sent.find((s) => s.topic === topics.alerts)!.records[0]!;
    assert.equal(firing.key, 'UNIT');
    assert.deepEqual(firing.value, { type: 'alert', id: `${rule.id}:1`, ruleId: rule.id, symbol: 'UNIT', condition: rule.condition, price: 11, message: 'UNIT above 10 at 11', note: 'ten', tsEvent: T0 + 1, tsRecv: T0 + 3 });
    assert.deepEqual(await store.listFirings({ ruleId: rule.id }), [firing.value]);
    assert.deepEqual((await store.loadAlertStates([rule.id])).map((s) => [s.armed, s.crossings]), [[false, 1]]);
    const letters = producer.values(topics.deadLetter) as DeadLetter[];
    assert.deepEqual(letters.map((l) => l.origin), ['alerts', 'alerts']);
    assert.match(letters[0]!.reason, /@\d+: source missing/);
    assert.match(letters[1]!.reason, /integer Unix ms/);
    assert.deepEqual({ ...processor.stats() }, { trades: 3, quotes: 1, gaps: 0, rejected: 2, firings: 1, duplicates: 0, reloads: 1, batches: 1, rules: processor.stats().rules });
  });

  it('after a failed record, the retried batch fires the same ids, stored once, and nothing more', async () => {
    const rule = await store.createAlertRule({ symbol: 'FLAKY', condition: { kind: 'price-below', threshold: 5 } });
    let failures = 1;
    const flaky: AlertsProcessorStore = {
      listAlertRules: (query) => store.listAlertRules(query),
      loadAlertStates: (ruleIds) => store.loadAlertStates(ruleIds),
      recordFirings: async (firings, states) => {
        if (failures-- > 0) throw new Error('database down');
        return store.recordFirings(firings, states);
      },
    };
    const producer = new RecordingProducer();
    const processor = new AlertsProcessor({ input: topics.raw, output: topics.alerts, deadLetters: topics.deadLetter, producer, store: flaky, clock: new ManualClock(T0) });
    const batch = [record(trade('FLAKY', 6, T0)), record(trade('FLAKY', 4, T0 + 1)), record(trade('FLAKY', 5, T0 + 2)), record(trade('FLAKY', 3, T0 + 3))];
    await assert.rejects(processor.process(batch), /database down/);
    assert.deepEqual(await processor.process(batch), batch, 'redelivered from the last commit');
    const expected = [`${rule.id}:1`, `${rule.id}:2`];
    assert.deepEqual(ids(producer.values(topics.alerts)), [...expected, ...expected], 'at least once on the topic, with stable ids');
    assert.deepEqual(ids(await store.listFirings({ ruleId: rule.id })).sort(), expected.sort(), 'once in the store');
    assert.equal(processor.stats().duplicates, 0);
    await processor.process([record(trade('FLAKY', 2, T0 + 4))]);
    assert.equal(producer.values(topics.alerts).length, 4, 'still below: no new crossing');
  });

  it('runs on the memory bus: fires once per crossing, picks up new rules, and a restart fires nothing twice', async () => {
    const bus = new MemoryBus({ defaultPartitions: 2, retainPerPartition: 10_000 });
    await bus.ensureTopics([topics.raw, topics.alerts, topics.deadLetter].map((name) => ({ name, partitions: 2 })));
    const clock = new ManualClock(T0);
    const up = await store.createAlertRule({ symbol: 'BUS:A', condition: { kind: 'price-above', threshold: 100 } });
    const down = await store.createAlertRule({ symbol: 'BUS:A', condition: { kind: 'price-below', threshold: 90 } });
    const quiet = await store.createAlertRule({ symbol: 'BUS:Q', condition: { kind: 'stale', afterMs: 5_000 } });
    const off = await store.createAlertRule({ symbol: 'BUS:A', condition: { kind: 'price-above', threshold: 1 }, enabled: false });
    const alerts = await reader(bus, topics.alerts);
    const letters = await reader(bus, topics.deadLetter);
    const producer = bus.producer();
    const publish = (values: readonly unknown[]) => producer.send(topics.raw, values.map((value) => ({ key: (value as Trade).symbol ?? 'x', value })));

    const start = () => {
      const processor = new AlertsProcessor({ input: topics.raw, output: topics.alerts, deadLetters: topics.deadLetter, producer: bus.producer(), store, clock, reloadMs: 1_000, logger });
      const runner = new ProcessorRunner({ bus, processor, groupId: 'alerts', clock, logger, tickMs: 5 });
      return { processor, runner };
    };
    const caughtUp = async (runner: ProcessorRunner) => waitFor(async () => (await runner.lag()).every((p) => p.lag === 0), 'the alerts processor caught up');
    /** Moves the clock by the reload interval and waits until a tick has reloaded and evaluated. */
    const tickedAt = async (processor: AlertsProcessor, ms: number) => {
      for (const step of [ms, ms + 1_000]) {
        const reloads = processor.stats().reloads!;
        clock.advanceTo(T0 + step);
        await waitFor(() => processor.stats().reloads! > reloads, `a tick at +${step} ms`);
      }
    };

    let { processor, runner } = start();
    await runner.start();
    await publish([99, 101, 102, 100, 101.5, 101, 89, 88, 95].map((price, i) => trade('BUS:A', price, T0 + i)));
    await publish([{ type: 'trade', symbol: 'BUS:A', price: 'high' }]);
    await waitFor(() => alerts.values.length >= 3, 'three firings');
    await caughtUp(runner);
    assert.deepEqual(ids(alerts.values), [`${up.id}:1`, `${up.id}:2`, `${down.id}:1`]);
    assert.deepEqual((alerts.values as AlertFiring[]).map((f) => f.price), [101, 101.5, 89]);
    await waitFor(() => letters.values.some((l) => (l as DeadLetter).origin === 'alerts'), 'the dead letter');

    // Stale: no BUS:Q trade since the processor started, for afterMs of clock time.
    await tickedAt(processor, 5_000);
    await waitFor(() => alerts.values.length === 4, 'the stale firing');
    assert.equal((alerts.values[3] as AlertFiring).id, `${quiet.id}:1`);
    assert.match((alerts.values[3] as AlertFiring).message, /^BUS:Q stale: no trade for [\d.]+ s \(after 5 s\)$/);

    // A rule created (and one enabled) while running takes effect at the next reload.
    const high = await store.createAlertRule({ symbol: 'BUS:A', condition: { kind: 'move-pct', percent: 50, windowMs: 60_000 } });
    await store.updateAlertRule(off.id, { note: 'still off' });
    await tickedAt(processor, 7_000);
    assert.equal(processor.stats().rules, (await store.listAlertRules({ enabled: true })).length);
    assert.ok((await store.listAlertRules({ enabled: true })).some((r) => r.id === high.id));
    await publish([trade('BUS:A', 96, T0 + 8_000), trade('BUS:A', 151, T0 + 8_001)]);
    await waitFor(() => alerts.values.length === 6, 'the new rule and the re-armed one firing');
    assert.deepEqual(ids(alerts.values.slice(4)).sort(), [`${up.id}:3`, `${high.id}:1`].sort());
    await caughtUp(runner);
    await within(runner.stop(), 10_000, 'stopping the runner');

    // Restart: a new processor over the same store, same group. Nothing fires a crossing again.
    ({ processor, runner } = start());
    await runner.start();
    await publish([trade('BUS:A', 152, T0 + 9_000), trade('BUS:A', 153, T0 + 9_001)]);
    await caughtUp(runner);
    await tickedAt(processor, 30_000);
    assert.equal(alerts.values.length, 6, 'hovering above, and still stale: no firing after the restart');
    await publish([trade('BUS:A', 99, T0 + 31_000), trade('BUS:A', 100.5, T0 + 31_001)]);
    await waitFor(() => alerts.values.length === 7, 'a new crossing');
    assert.equal((alerts.values[6] as AlertFiring).id, `${up.id}:4`, 'the crossing count carried across the restart');
    await caughtUp(runner);
    await within(runner.stop(), 10_000, 'stopping the restarted runner');

    const stored = await store.listFirings({ symbol: 'BUS:A' });
    assert.deepEqual(ids(stored).sort(), ids(alerts.values).filter((id) => !id.startsWith(quiet.id)).sort(), 'the store holds what the topic carried, once');
    assert.equal(new Set(ids(alerts.values)).size, alerts.values.length, 'no id twice on the topic');
    assert.deepEqual(ids(await store.listFirings({ ruleId: off.id })), [], 'a disabled rule never fires');
    await alerts.stop();
    await letters.stop();
    await bus.close();
  });

  it('refuses a bad reloadMs', () => {
    assert.throws(
      () => new AlertsProcessor({ input: 'a', output: 'b', deadLetters: 'c', producer: new RecordingProducer(), store, clock: new ManualClock(), reloadMs: 0 }),
      { code: 'TICKFLOW_CONFIG_INVALID', message: /reloadMs/ },
    );
  });
});
