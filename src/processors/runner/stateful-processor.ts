import type { BusRecord, OutgoingRecord } from '../../bus/bus.ts';

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
 * how it becomes durable: plainly (PlainStatefulProcessor on the ProcessorRunner: outputs sent, state
 * kept only in memory) or in one Kafka transaction with the state and the input offsets
 * (TransactionalRunner: exactly once).
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
  /**
   * The input ended for good (a replay's last record was read): completes what is still open. Only
   * the plain runner calls it, at close; on Kafka a stop is not an end, and open state stays in the
   * state topic for the next start.
   */
  flush?(): StepResult;
  stats?(): Readonly<Record<string, number>>;
}

export const EMPTY_STEP: StepResult = { outputs: [], state: [] };
