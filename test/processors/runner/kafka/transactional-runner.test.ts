import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BusRecord } from '../../../../src/bus/bus.ts';
import { ManualClock } from '../../../../src/clock.ts';
import { silentLogger } from '../../../../src/logger.ts';
import { TransactionalRunner } from '../../../../src/processors/runner/kafka/transactional-runner.ts';
import { EMPTY_STEP, type StatefulProcessor, type StepResult } from '../../../../src/processors/runner/stateful-processor.ts';
import { kafkaFixture, type KafkaFixture } from '../../../support/kafka.ts';
import { waitFor, within } from '../../../support/wait.ts';

/** Copies its input to `output`; the first time it meets a record marked `fail` it throws. */
class Flaky implements StatefulProcessor {
  readonly name = 'flaky';
  readonly input: string;
  readonly #output: string;
  /** Offsets it already failed on: kept across the runner's resets, as a fault outside the state would be. */
  readonly #failedOn = new Set<number>();
  constructor(input: string, output: string) {
    this.input = input;
    this.#output = output;
  }
  reset(): void {}
  restore(): void {}
  process(batch: readonly BusRecord[]): StepResult {
    for (const record of batch) {
      if ((record.value as { fail?: boolean }).fail && !this.#failedOn.has(record.offset)) {
        this.#failedOn.add(record.offset);
        throw new Error(`record ${record.offset} failed`);
      }
    }
    if (batch.length === 0) return EMPTY_STEP;
    return { outputs: [{ topic: this.#output, records: batch.map((record) => ({ key: record.key, value: record.value })) }], state: [] };
  }
}

describe('transactional runner', () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('backs off by the failures in a row: after many failures, each followed by a recovery, it restarts as quickly as after the first', async () => {
    const { bus } = fixture;
    const [input, output, state] = ['in', 'out', 'state'].map((kind) => fixture.uniqueName(kind)) as [string, string, string];
    await bus.ensureTopics([{ name: input, partitions: 1 }, { name: output, partitions: 1 }]);
    const runner = new TransactionalRunner({
      bus,
      processor: new Flaky(input, output),
      groupId: fixture.uniqueName('group'),
      stateTopic: state,
      clock: new ManualClock(),
      logger: silentLogger(),
      // The longest delay full jitter can draw.
      restartBackoff: { random: () => 0.999 },
    });
    await runner.start();
    const producer = bus.producer();
    try {
      // A lifetime count would wait 0.2, 0.4, 0.8, 1.6, 3.2, 6.4 s before the restarts: the last would miss its deadline.
      for (let i = 0; i < 6; i++) {
        await producer.send(input, [{ key: 'k', value: { n: i, fail: true } }]);
        const started = performance.now();
        await waitFor(() => runner.status().processed === i + 1, `record ${i} processed after failure ${i + 1}`, 20_000);
        const took = performance.now() - started;
        assert.ok(took < 5_000, `recovering from failure ${i + 1} took ${Math.round(took)} ms`);
      }
      assert.equal(runner.status().failures, 6);
    } finally {
      await producer.close();
      await within(runner.stop(), 15_000, 'stop');
    }
  });

  it('stops at once while waiting to restart', async () => {
    const { bus } = fixture;
    const [input, output, state] = ['in', 'out', 'state'].map((kind) => fixture.uniqueName(kind)) as [string, string, string];
    await bus.ensureTopics([{ name: input, partitions: 1 }, { name: output, partitions: 1 }]);
    const runner = new TransactionalRunner({
      bus,
      processor: new Flaky(input, output),
      groupId: fixture.uniqueName('group'),
      stateTopic: state,
      clock: new ManualClock(),
      logger: silentLogger(),
      restartBackoff: { baseMs: 60_000, maxMs: 60_000, random: () => 0.999 },
    });
    await runner.start();
    const producer = bus.producer();
    await producer.send(input, [{ key: 'k', value: { fail: true } }]);
    await producer.close();
    await waitFor(() => runner.status().failures === 1, 'the failure', 20_000);
    const started = performance.now();
    await within(runner.stop(), 15_000, 'stop during a backoff of a minute');
    assert.ok(performance.now() - started < 5_000, `stop took ${Math.round(performance.now() - started)} ms`);
  });
});
