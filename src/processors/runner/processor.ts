import type { BusRecord } from '../../bus/bus.ts';

/**
 * A stream processor: consumes batches from its topics and says which records are done. The runner
 * commits exactly what a processor returns, so a processor returns a record only once its effect
 * is durable (written and synced, or acknowledged by the bus).
 */
export interface Processor {
  readonly name: string;
  readonly topics: readonly string[];
  /** Handles a batch; returns the records whose effect is now durable (may include earlier ones). */
  process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]>;
  /** Called on a timer with the clock's time, for work due on time rather than on input. */
  tick?(now: number): Promise<readonly BusRecord[]>;
  /** Finishes pending work at shutdown; returns the records that became durable. */
  close?(): Promise<readonly BusRecord[]>;
  /** Counters for the status line and `/readyz`. */
  stats?(): Readonly<Record<string, number>>;
}
