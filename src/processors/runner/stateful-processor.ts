import type { BusProducer, BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import type { Processor } from './processor.ts';

/** Records for one topic. */
export interface TopicRecords {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
}

/** Key the runner keeps its own record under in each state partition (the next input offset): processors must not use it. */
export const OFFSET_KEY = '__offset__';

/**
 * One key of a processor's state, in the partition of its input that the state belongs to. State is
 * kept per input partition so that it moves with the partition when a rebalance moves that.
 */
export interface StateRecord {
  readonly partition: number;
  readonly key: string;
  /** Must survive a JSON round trip. */
  readonly value: unknown;
}

/** What a step (a batch, or a tick) did: records to publish and the state it changed. */
export interface StepResult {
  readonly outputs: readonly TopicRecords[];
  /** The new value of every key the step changed (the state delta). */
  readonly state: readonly StateRecord[];
}

/**
 * A processor whose effect is a pure function of its input and its state: `process` and `tick`
 * publish nothing themselves, they return what to publish and which state changed. The runner decides
 * how it becomes durable: plainly (`publishPlainly`: outputs sent, state kept only in memory) or in
 * one Kafka transaction with the state and the input offsets (TransactionalRunner: exactly once).
 *
 * It reads one topic; its state is kept per partition of that topic.
 */
export interface StatefulProcessor {
  readonly name: string;
  readonly input: string;
  /** Forgets all state (before it is loaded again: after a failure or a rebalance). */
  reset(): void;
  /** Loads one partition's state as last saved: the latest value of each key. */
  restore(partition: number, state: ReadonlyMap<string, unknown>): void;
  process(batch: readonly BusRecord[]): StepResult;
  /** Work due on time rather than on input, with the clock's time. */
  tick?(now: number): StepResult;
  stats?(): Readonly<Record<string, number>>;
}

export const EMPTY_STEP: StepResult = { outputs: [], state: [] };

/**
 * The plain way to run a stateful processor (the embedded bus, or Kafka at least once): outputs are
 * sent and the batch reported durable once the bus acknowledged them; state lives in memory only.
 */
export function publishPlainly(processor: StatefulProcessor, producer: BusProducer): Processor {
  const publish = async (step: StepResult) => {
    for (const { topic, records } of step.outputs) if (records.length > 0) await producer.send(topic, records);
  };
  const plain: Processor = {
    name: processor.name,
    topics: [processor.input],
    async process(batch) {
      await publish(processor.process(batch));
      return batch;
    },
    ...(processor.stats ? { stats: () => processor.stats!() } : {}),
  };
  if (processor.tick) {
    const tick = processor.tick.bind(processor);
    plain.tick = async (now) => {
      await publish(tick(now));
      return [];
    };
  }
  return plain;
}
