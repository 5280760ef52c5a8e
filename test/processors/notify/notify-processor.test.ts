import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { NotificationHub } from '../../../src/notify/notification-hub.ts';
import { NotifyProcessor, notifyGroupId } from '../../../src/processors/notify/notify-processor.ts';
import type { NotifyRecord } from '../../../src/notify/protocol.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { systemClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { waitFor } from '../../support/wait.ts';
import { alert, bar, signal, trade, windowMetrics } from '../../notify/records.ts';

const TOPICS = { raw: 'raw', metrics: 'metrics', signals: 'signals', alerts: 'alerts' };

/** A hub that only records what it is handed. */
class RecordingHub extends NotificationHub {
  readonly delivered: NotifyRecord[] = [];
  override deliver(record: NotifyRecord): void {
    this.delivered.push(record);
  }
}

let offset = 0;
const on = (topic: string, value: unknown): BusRecord => ({ topic, partition: 0, offset: offset++, key: 'k', value, timestamp: Date.now() });

describe('notify processor', () => {
  it('hands valid records to the hub, ignores gaps, quotes and quote bars, counts and logs invalid ones, and returns the whole batch', async () => {
    const hub = new RecordingHub();
    const lines: string[] = [];
    const logger = pino(new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }));
    const processor = new NotifyProcessor({ topics: TOPICS, hub, logger });
    const batch = [
      on('raw', trade('AAPL', 1)),
      on('raw', { type: 'gap', source: 'test', symbol: 'AAPL', reason: 'disconnect', tsEvent: 1, tsRecv: 1 }),
      on('raw', { type: 'trade', symbol: 'AAPL' }),
      on('raw', { type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.1, ask: 1.2, bidSize: null, askSize: null, tsEvent: 1, tsRecv: 1, seq: 1 }),
      on('metrics', bar('AAPL', 0, 1)),
      on('metrics', windowMetrics('AAPL', 1)),
      on('metrics', { type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1s', start: 0, end: 1_000, bid: { open: 1, high: 1, low: 1, close: 1 }, ask: { open: 2, high: 2, low: 2, close: 2 }, lastBidSize: null, lastAskSize: null, count: 1, tsEvent: 1_000, tsRecv: 1_000 }),
      on('metrics', { type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1s' }),
      on('metrics', signal('AAPL')), // a signal has no business on the metrics topic
      on('signals', signal('AAPL')),
      on('signals', 'garbage'),
      on('alerts', alert('AAPL')),
      on('alerts', { ...alert('AAPL'), tsEvent: 'yesterday' }),
    ];
    assert.equal(processor.name, 'notify');
    assert.deepEqual(processor.topics, ['raw', 'metrics', 'signals', 'alerts']);
    assert.equal(await processor.process(batch), batch);
    assert.deepEqual(hub.delivered.map((record) => record.type), ['trade', 'bar', 'window-metrics', 'signal', 'alert']);
    assert.deepEqual(
      { received: 13, handed: 5, ignored: 3, rejected: 5 },
      Object.fromEntries(Object.entries(processor.stats()).filter(([key]) => ['received', 'handed', 'ignored', 'rejected'].includes(key))),
    );
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /invalid record not delivered/);
  });

  it('names a consumer group per instance', () => {
    assert.equal(notifyGroupId('prod-', 'api-0'), 'prod-tickflow-notify-api-0');
    assert.notEqual(notifyGroupId('', 'a'), notifyGroupId('', 'b'));
  });

  it('runs on the memory bus from the live end and commits at once', async () => {
    const bus = new MemoryBus({ defaultPartitions: 2 });
    await bus.ensureTopics(Object.values(TOPICS).map((name) => ({ name, partitions: 2 })));
    const producer = bus.producer();
    await producer.send('signals', [{ key: 'AAPL', value: signal('AAPL', 0) }]); // before the start: not live any more
    const hubs = [new RecordingHub(), new RecordingHub()];
    const runners = hubs.map(
      (hub, i) =>
        new ProcessorRunner({ bus, processor: new NotifyProcessor({ topics: TOPICS, hub }), groupId: notifyGroupId('', `i${i}`), startFrom: 'latest', clock: systemClock, logger: silentLogger() }),
    );
    await Promise.all(runners.map((runner) => runner.start()));
    await producer.send('signals', [{ key: 'MSFT', value: signal('MSFT', 1) }]);
    await producer.send('raw', [{ key: 'AAPL', value: trade('AAPL', 7) }]);
    for (const hub of hubs) await waitFor(() => hub.delivered.length === 2, 'both records at each instance');
    for (const hub of hubs) assert.deepEqual(hub.delivered.map((record) => `${record.type} ${record.symbol}`).sort(), ['signal MSFT', 'trade AAPL']);
    for (const runner of runners) await waitFor(async () => (await runner.lag()).every((partition) => partition.lag === 0), 'committed');
    await Promise.all(runners.map((runner) => runner.stop()));
    await producer.close();
    await bus.close();
  });
});
