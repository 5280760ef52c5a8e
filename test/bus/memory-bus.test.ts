import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusConsumer, BusRecord } from '../../src/bus/bus.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { busContract, take } from '../contract/bus-contract.ts';
import { isPending, within } from '../support/wait.ts';

let counter = 0;
busContract('memory', async () => ({
  bus: new MemoryBus(),
  uniqueName: (prefix) => `${prefix}-${++counter}`,
  close: async () => {},
}));

/** Reads `consumer` until closed, calling `onBatch` for each batch and committing it. */
function drain(consumer: BusConsumer, onBatch: (batch: readonly BusRecord[]) => Promise<void> | void): Promise<void> {
  return (async () => {
    for await (const batch of consumer) {
      await onBatch(batch);
      await consumer.commit(batch);
    }
  })();
}

describe('memory bus', () => {
  it("hands a background consumer its records after the foreground consumers' chain, whatever the order they joined in", async () => {
    const bus = new MemoryBus({ defaultPartitions: 1 });
    const producer = bus.producer();
    const seen: string[] = [];
    const done = Promise.withResolvers<void>();
    const note = (what: string) => {
      seen.push(what);
      if (seen.length === 2) done.resolve();
    };
    // Joined first: without `background` it would be woken first and see the trade before the metrics exist.
    const archive = await bus.consumer({ groupId: 'archive', topics: ['trades'], background: true });
    const aggregator = await bus.consumer({ groupId: 'aggregator', topics: ['trades'] });
    const client = await bus.consumer({ groupId: 'client', topics: ['metrics'] });
    const loops = [
      drain(archive, () => note('archive has the trade')),
      drain(aggregator, (batch) => producer.send('metrics', batch.map(({ key, value }) => ({ key, value })))),
      drain(client, () => note('the client has the metrics')),
    ];
    await producer.send('trades', [{ key: 'AAPL', value: 1 }]);
    await within(done.promise, 1_000, 'both deliveries');
    assert.deepEqual(seen, ['the client has the metrics', 'archive has the trade']);
    for (const consumer of [archive, aggregator, client]) await consumer.close();
    await within(Promise.all(loops), 1_000, 'the consumers ending');
    await bus.close();
  });

  it('ends the iteration of a background consumer closed while it waits for its turn', async () => {
    const bus = new MemoryBus({ defaultPartitions: 1 });
    const consumer = await bus.consumer({ groupId: 'archive', topics: ['t'], background: true });
    await bus.producer().send('t', [{ key: 'k', value: 1 }]);
    const next = consumer[Symbol.asyncIterator]().next();
    await consumer.close();
    assert.equal((await within(next, 1_000, 'the iteration ending')).done, true);
    await bus.close();
  });

  it('holds producers back while a group has too much uncommitted, and lets them go on commit', async () => {
    const bus = new MemoryBus({ defaultPartitions: 1, maxUncommittedPerPartition: 10 });
    const consumer = await bus.consumer({ groupId: 'slow', topics: ['t'] });
    const producer = bus.producer();
    await producer.send('t', Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: i })));
    const blocked = producer.send('t', [{ key: 'k', value: 10 }]);
    assert.ok(await isPending(blocked), 'the eleventh record must wait for the consumer');
    const batch = await take(consumer, 10);
    assert.ok(await isPending(blocked), 'reading alone does not free space: committing does');
    await consumer.commit(batch);
    await within(blocked, 1_000, 'the blocked send');
    await bus.close();
  });

  it('keeps only recent records for a topic no group reads, without blocking producers', async () => {
    const bus = new MemoryBus({ defaultPartitions: 1, maxUncommittedPerPartition: 10, retainPerPartition: 5 });
    const producer = bus.producer();
    for (let i = 0; i < 100; i++) await producer.send('t', [{ key: 'k', value: i }]);
    const late = await bus.consumer({ groupId: 'late', topics: ['t'] });
    const records = await take(late, 5);
    assert.deepEqual(records.map((record) => record.value), [95, 96, 97, 98, 99]);
    await bus.close();
  });

  it('fails pending and later sends once closed', async () => {
    const bus = new MemoryBus({ defaultPartitions: 1, maxUncommittedPerPartition: 1 });
    await bus.consumer({ groupId: 'g', topics: ['t'] });
    const producer = bus.producer();
    await producer.send('t', [{ key: 'k', value: 1 }]);
    const blocked = producer.send('t', [{ key: 'k', value: 2 }]);
    await bus.close();
    await assert.rejects(blocked, { code: 'TICKFLOW_BUS_CLOSED' });
    await assert.rejects(producer.send('t', [{ key: 'k', value: 3 }]), { code: 'TICKFLOW_BUS_CLOSED' });
  });
});
