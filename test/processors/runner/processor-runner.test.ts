import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import type { Processor } from '../../../src/processors/runner/processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { waitFor } from '../../support/wait.ts';

class Recording implements Processor {
  readonly name = 'recording';
  readonly topics = ['in'];
  seen: unknown[] = [];
  failNext = 0;
  holdBack = false;
  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('disk full');
    }
    this.seen.push(...batch.map((record) => record.value));
    return this.holdBack ? [] : batch;
  }
}

async function setup(processor: Processor) {
  const bus = new MemoryBus({ defaultPartitions: 1 });
  const runner = new ProcessorRunner({ bus, processor, groupId: 'g', clock: new ManualClock(), logger: silentLogger() });
  await runner.start();
  return { bus, runner, producer: bus.producer() };
}

describe('processor runner', () => {
  it('commits what the processor reports durable', async () => {
    const processor = new Recording();
    const { bus, runner, producer } = await setup(processor);
    await producer.send('in', [1, 2, 3].map((value) => ({ key: 'k', value })));
    await waitFor(async () => (await runner.lag())[0]?.lag === 0, 'lag 0');
    assert.deepEqual(processor.seen, [1, 2, 3]);
    await runner.stop();
    await bus.close();
  });

  it('leaves records uncommitted while the processor holds them back', async () => {
    const processor = new Recording();
    processor.holdBack = true;
    const { bus, runner, producer } = await setup(processor);
    await producer.send('in', [{ key: 'k', value: 1 }]);
    await waitFor(() => processor.seen.length === 1, 'record seen');
    assert.equal((await runner.lag())[0]?.lag, 1);
    await runner.stop();
    await bus.close();
  });

  it('retries a failed batch from the last commit instead of skipping it', async () => {
    const processor = new Recording();
    processor.failNext = 1;
    const { bus, runner, producer } = await setup(processor);
    await producer.send('in', [{ key: 'k', value: 'a' }]);
    await waitFor(() => processor.seen.includes('a'), 'the batch to be processed after the failure', 5_000);
    assert.equal(runner.status().failures, 1);
    assert.match(runner.status().lastError ?? '', /disk full/);
    await runner.stop();
    await bus.close();
  });
});
