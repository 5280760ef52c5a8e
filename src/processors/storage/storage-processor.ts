import type { BusProducer, BusRecord } from '../../bus/bus.ts';
import type { Clock } from '../../clock.ts';
import type { Store, WriteResult } from '../../store/store.ts';
import { BatchingWriter } from '../runner/batching-writer.ts';
import type { Processor } from '../runner/processor.ts';
import { sortForStore, type SortedRecords, type StorageTopics } from './sort-records.ts';
import { rejectedRecord } from '../runner/rejected-record.ts';

export interface StorageOptions {
  /** Opened (and later closed) by the caller: the REST API reads the same store. */
  readonly store: Store;
  /** raw-market-data: its trades and quotes are stored, its gaps skipped. */
  readonly rawTopic: string;
  /** aggregated-metrics: its bars, quote bars and window metrics are stored. */
  readonly metricsTopic: string;
  /** trading-signals: when given, its signals are stored too (and it is one of `topics`). */
  readonly signalsTopic?: string;
  /** Write once this many records are waiting (default `STORAGE_DEFAULTS.batchSize`)… */
  readonly batchSize?: number;
  /** …or once the oldest waiting record is this old (default `STORAGE_DEFAULTS.flushMs`). */
  readonly flushMs?: number;
  /** The time `flushMs` is measured on; default the system clock. */
  readonly clock?: Clock;
  /**
   * Where records that cannot be stored go, as dead letters (origin `storage`), before their batch
   * counts as done. Without it they are only counted (`rejected`).
   */
  readonly deadLetters?: { readonly producer: BusProducer; readonly topic: string };
}

export const STORAGE_DEFAULTS = { batchSize: 500, flushMs: 1_000 } as const;

const STORED_KINDS = ['trades', 'bars', 'metrics', 'signals', 'quotes', 'quoteBars'] as const satisfies ReadonlyArray<keyof WriteResult>;

/**
 * Stores trades, quotes, bars, quote bars and window metrics, and trading signals when given
 * `signalsTopic`. Quotes are stored as trades are, every one (the REST API pages through both). A batch is
 * written in one transaction and its records are reported durable (so committed) only once that
 * transaction committed. Writes are idempotent, so records delivered again after a crash or
 * rebalance are not stored twice.
 */
export class StorageProcessor implements Processor {
  readonly name = 'storage';
  readonly topics: readonly string[];
  readonly #options: StorageOptions;
  readonly #topics: StorageTopics;
  readonly #writer: BatchingWriter;
  readonly #counts = { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0, duplicates: 0, gapsSkipped: 0, rejected: 0, batches: 0 };

  constructor(options: StorageOptions) {
    this.#options = options;
    this.#topics = { raw: options.rawTopic, metrics: options.metricsTopic, signals: options.signalsTopic };
    this.topics = options.signalsTopic === undefined ? [options.rawTopic, options.metricsTopic] : [options.rawTopic, options.metricsTopic, options.signalsTopic];
    this.#writer = new BatchingWriter({
      batchSize: options.batchSize ?? STORAGE_DEFAULTS.batchSize,
      flushMs: options.flushMs ?? STORAGE_DEFAULTS.flushMs,
      write: (records) => this.#store(records),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    return this.#writer.add(batch);
  }

  tick(): Promise<readonly BusRecord[]> {
    return this.#writer.tick();
  }

  /** Writes what is pending. Leaves the store open: it is not this processor's to close. */
  close(): Promise<readonly BusRecord[]> {
    return this.#writer.close();
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#counts, pending: this.#writer.pending };
  }

  async #store(records: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const sorted = sortForStore(records, this.#topics);
    await this.#reject(sorted);
    const { trades, bars, metrics, signals, quotes, quoteBars } = sorted;
    const stored = await this.#options.store.write({ trades, bars, metrics, signals, quotes, quoteBars });
    this.#count(sorted, stored);
    return records;
  }

  async #reject({ rejects }: SortedRecords): Promise<void> {
    if (rejects.length === 0) return;
    const { deadLetters } = this.#options;
    if (deadLetters) {
      await deadLetters.producer.send(
        deadLetters.topic,
        rejects.map(({ record, reason }) => rejectedRecord('storage', record, reason)),
      );
    }
    this.#counts.rejected += rejects.length;
  }

  #count(sorted: SortedRecords, stored: WriteResult): void {
    const counts = this.#counts;
    for (const kind of STORED_KINDS) {
      counts[kind] += stored[kind];
      counts.duplicates += sorted[kind].length - stored[kind];
    }
    counts.gapsSkipped += sorted.gaps;
    counts.batches++;
  }
}
