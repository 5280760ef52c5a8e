import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import type { Processor } from '../../../src/processors/runner/processor.ts';
import { ProcessorRunner, type ProcessorRunnerOptions } from '../../../src/processors/runner/processor-runner.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { waitFor, within } from '../../support/wait.ts';
import { KafkaAccessDenied } from '../../../src/bus/access-denied.ts';

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

/** The largest delay full jitter can draw: each wait is as long as its ceiling allows. */
const LONGEST = { random: () => 0.999 };

async function setup(processor: Processor, options: Partial<ProcessorRunnerOptions> = {}) {
  const bus = new MemoryBus({ defaultPartitions: 1 });
  const runner = new ProcessorRunner({ bus, processor, groupId: 'g', clock: new ManualClock(), logger: silentLogger(), ...options });
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

  it('backs off by the failures in a row: after many failures, each followed by a recovery, it restarts as quickly as after the first', async () => {
    const processor = new Recording();
    const { bus, runner, producer } = await setup(processor, { restartBackoff: LONGEST });
    // A lifetime count would wait 0.2, 0.4, 0.8, 1.6, 3.2, 6.4 s: the later ones would miss their deadline.
    for (let i = 0; i < 6; i++) {
      processor.failNext = 1;
      await producer.send('in', [{ key: 'k', value: i }]);
      await waitFor(() => processor.seen.includes(i), `record ${i} processed after failure ${i + 1}`, 1_500);
    }
    assert.equal(runner.status().failures, 6);
    await runner.stop();
    await bus.close();
  });

  it('stops at once while waiting to restart', async () => {
    const processor = new Recording();
    processor.failNext = Number.POSITIVE_INFINITY;
    const { bus, runner, producer } = await setup(processor, { restartBackoff: LONGEST });
    await producer.send('in', [{ key: 'k', value: 'poison' }]);
    // Four failures in a row: the wait before the next attempt is 1.6 s.
    await waitFor(() => runner.status().failures === 4, 'the fourth failure', 5_000);
    const started = performance.now();
    await within(runner.stop(), 1_000, 'stop during the backoff');
    assert.ok(performance.now() - started < 500, `stop took ${Math.round(performance.now() - started)} ms`);
    await bus.close();
  });

  it('reads again from the last commit after a failed tick, so what the tick failed to write is not skipped', async () => {
    const processor = new TickWriter();
    const { bus, runner, producer } = await setup(processor, { tickMs: 5, restartBackoff: { baseMs: 10 } });
    await producer.send('in', [1, 2, 3].map((value) => ({ key: 'k', value })));
    await waitFor(() => processor.failedTicks === 1, 'the failed tick');
    await producer.send('in', [{ key: 'k', value: 4 }]);
    await waitFor(() => processor.written.includes(4), 'the later record written');
    await waitFor(async () => (await runner.lag())[0]?.lag === 0, 'everything committed');
    assert.deepEqual([...new Set(processor.written)].sort(), [1, 2, 3, 4]);
    await runner.stop();
    await bus.close();
  });
});

/** Writes on its tick what its batches gathered (as BatchingWriter does); its first write with something to write fails. */
class TickWriter implements Processor {
  readonly name = 'tick-writer';
  readonly topics = ['in'];
  written: unknown[] = [];
  failedTicks = 0;
  #pending: BusRecord[] = [];
  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    this.#pending.push(...batch);
    return [];
  }
  async tick(): Promise<readonly BusRecord[]> {
    const records = this.#pending;
    this.#pending = [];
    if (records.length > 0 && this.failedTicks === 0) {
      this.failedTicks++;
      throw new Error('disk full');
    }
    this.written.push(...records.map((record) => record.value));
    return records;
  }
}

describe('processor runner refused by the broker', () => {
  it('stops for good on an access denial instead of retrying, and says so through `halted`', async () => {
    const denied = new KafkaAccessDenied('WRITE', { type: 'topic', names: ['trading-signals'] });
    let calls = 0;
    const processor: Processor = {
      name: 'denied',
      topics: ['in'],
      process: async () => {
        calls++;
        throw denied;
      },
    };
    const { bus, runner, producer } = await setup(processor, { restartBackoff: { baseMs: 1, maxMs: 2 } });
    await producer.send('in', [{ key: 'k', value: 1 }]);
    assert.equal(await within(runner.halted, 5_000, 'halted'), denied);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(calls, 1, 'not retried');
    assert.deepEqual({ running: runner.status().running, failures: runner.status().failures, lastError: runner.status().lastError }, { running: false, failures: 1, lastError: "Kafka denied WRITE on topic 'trading-signals' to this client: grant it (see `tickflow acls print`)" });
    await runner.stop();
    await bus.close();
  });
});
