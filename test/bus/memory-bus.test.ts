import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { busContract, take } from '../contract/bus-contract.ts';
import { isPending, within } from '../support/wait.ts';

let counter = 0;
busContract('memory', async () => ({
  bus: new MemoryBus(),
  uniqueName: (prefix) => `${prefix}-${++counter}`,
  close: async () => {},
}));

describe('memory bus', () => {
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
