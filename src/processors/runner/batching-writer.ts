import type { BusRecord } from '../../bus/bus.ts';
import { systemClock, type Clock } from '../../clock.ts';

export interface BatchingWriterOptions {
  /** Write once this many records are waiting… */
  readonly batchSize: number;
  /** …or once the oldest waiting record is this old. */
  readonly flushMs: number;
  /** Makes `records` durable (synced, committed); resolves with the records now durable. */
  readonly write: (records: BusRecord[]) => Promise<readonly BusRecord[]>;
  /** How old the oldest waiting record is; default the system clock. */
  readonly clock?: Clock;
}

/**
 * Gathers records and writes them in batches for a processor whose effect is a write (a file, a
 * database), overlapping each write with the reading of the next batch: `add` and `tick` start a
 * write without waiting for it and hand back the records of the write that finished before.
 * Writes run one at a time and in order, so what is reported durable is always a prefix of what
 * was read.
 */
export class BatchingWriter {
  readonly #options: BatchingWriterOptions;
  readonly #clock: Clock;
  #pending: BusRecord[] = [];
  #oldestPendingAt = 0;
  #write: { readonly promise: Promise<readonly BusRecord[]>; done: boolean } | null = null;

  constructor(options: BatchingWriterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  get pending(): number {
    return this.#pending.length;
  }

  add(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    if (this.#pending.length === 0) this.#oldestPendingAt = this.#clock.now();
    this.#pending.push(...batch);
    return this.#pending.length >= this.#options.batchSize ? this.#startWrite() : this.#takeWritten();
  }

  tick(): Promise<readonly BusRecord[]> {
    const due = this.#pending.length > 0 && this.#clock.now() - this.#oldestPendingAt >= this.#options.flushMs;
    return due ? this.#startWrite() : this.#takeWritten();
  }

  /** Waits for the write in flight and writes what is left. */
  async close(): Promise<readonly BusRecord[]> {
    const earlier = await this.#awaitWrite();
    return [...earlier, ...(await this.#writePending())];
  }

  async #startWrite(): Promise<readonly BusRecord[]> {
    const earlier = await this.#awaitWrite();
    const writing = this.#writePending();
    const write = { promise: writing, done: false };
    writing.then(
      () => (write.done = true),
      () => (write.done = true),
    );
    this.#write = write;
    return earlier;
  }

  async #takeWritten(): Promise<readonly BusRecord[]> {
    return this.#write?.done ? this.#awaitWrite() : [];
  }

  async #awaitWrite(): Promise<readonly BusRecord[]> {
    const write = this.#write;
    if (!write) return [];
    this.#write = null;
    try {
      return await write.promise;
    } catch (error) {
      // Nothing after the failed write is durable: the runner reads it all again from the last commit.
      this.#pending = [];
      throw error;
    }
  }

  async #writePending(): Promise<readonly BusRecord[]> {
    const records = this.#pending;
    if (records.length === 0) return records;
    // On a failure these records stay uncommitted and the runner reads them again.
    this.#pending = [];
    return this.#options.write(records);
  }
}
