import type { DeadLetter } from '../../model/dead-letter.ts';
import type { MarketRecord } from '../../model/market-record.ts';
import type { SourceSink } from '../source.ts';
import type { IngestJournal, JournalSegment } from './ingest-journal.ts';

/** Offsets of the topic the sink publishes to, per partition, as the consumers in this process see it. */
export interface PublishedOffsets {
  /** Where the next record of each partition lands. */
  readonly ends: readonly number[];
  /** The lowest offset of each partition that some consumer has not committed (missing: nobody reads it). */
  readonly committed: readonly (number | undefined)[];
}

export interface JournalSinkOptions {
  readonly journal: IngestJournal;
  /** Where records go once journaled (the bus sink). */
  readonly sink: SourceSink;
  readonly offsets: () => Promise<PublishedOffsets>;
  /** How often the journal starts a new segment and deletes the ones whose records every consumer committed. */
  readonly rotateMs?: number;
  /**
   * Records received but not yet on disk past which `records` waits for the sync: the loss window of
   * a crash, in records (the source pauses while the disk catches up).
   */
  readonly maxUnsynced?: number;
  /** Records received but not yet published past which `records` waits: the source pauses. */
  readonly maxInFlight?: number;
}

/** `maxUnsynced`: 50 ms of a 10,000 trades/s feed. */
export const JOURNAL_SINK_DEFAULTS = { rotateMs: 1_000, maxUnsynced: 500, maxInFlight: 20_000, replayBatch: 500 } as const;

interface Sealed {
  readonly segments: readonly JournalSegment[];
  /** End offsets once every record of the segments was published; `null` until then. */
  ends: readonly number[] | null;
}

/**
 * A source sink that writes what it receives to the ingest journal before publishing it, in order,
 * to the sink behind it (the in-memory bus). `records` returns once the records are queued for the
 * journal, so the source keeps reading while the disk syncs, unless more than `maxUnsynced` records
 * wait for a sync (or `maxInFlight` for the bus). A record reaches the bus once it is written to the
 * journal's file, before its fdatasync (as a Kafka broker acknowledges from the page cache): a killed
 * process loses nothing published, a power loss at most `maxUnsynced` received records (plus the frame
 * being read); at the next start `replay` publishes what the journal holds before the source starts. Segments are deleted once every consumer committed past their records.
 */
export class JournalSink implements SourceSink {
  readonly #journal: IngestJournal;
  readonly #sink: SourceSink;
  readonly #offsets: () => Promise<PublishedOffsets>;
  readonly #rotateMs: number;
  readonly #maxUnsynced: number;
  readonly #maxInFlight: number;
  #unsynced = 0;
  /** Publishing, one step at a time in arrival order; never rejects (a failure is kept in `#failure`). */
  #chain: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #failure: Error | null = null;
  readonly #sealed: Sealed[] = [];
  #timer: NodeJS.Timeout | null = null;
  #housekeeping: Promise<void> | null = null;
  readonly #stats = { journaled: 0, replayed: 0, segmentsRemoved: 0 };

  constructor(options: JournalSinkOptions) {
    this.#journal = options.journal;
    this.#sink = options.sink;
    this.#offsets = options.offsets;
    this.#rotateMs = options.rotateMs ?? JOURNAL_SINK_DEFAULTS.rotateMs;
    this.#maxUnsynced = options.maxUnsynced ?? JOURNAL_SINK_DEFAULTS.maxUnsynced;
    this.#maxInFlight = options.maxInFlight ?? JOURNAL_SINK_DEFAULTS.maxInFlight;
  }

  /**
   * Publishes the records an earlier run journaled (consumers that already had them skip or overwrite
   * them by identity), then starts rotating. Call before the source starts. Returns how many it published.
   */
  async replay(): Promise<number> {
    const { records, segments } = this.#journal.recovered;
    for (let i = 0; i < records.length; i += JOURNAL_SINK_DEFAULTS.replayBatch) {
      await this.#sink.records(records.slice(i, i + JOURNAL_SINK_DEFAULTS.replayBatch));
    }
    if (segments.length > 0) this.#sealed.push({ segments, ends: (await this.#offsets()).ends });
    this.#stats.replayed = records.length;
    this.#timer = setInterval(() => void this.housekeep(), this.#rotateMs);
    this.#timer.unref();
    return records.length;
  }

  async records(batch: readonly MarketRecord[]): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (batch.length === 0) return;
    const { written, synced } = this.#journal.append(batch);
    this.#unsynced += batch.length;
    void synced.finally(() => (this.#unsynced -= batch.length)).catch(() => {});
    this.#inFlight += batch.length;
    this.#stats.journaled += batch.length;
    this.#then(async () => {
      await written;
      await this.#sink.records(batch);
      this.#inFlight -= batch.length;
    });
    if (this.#unsynced > this.#maxUnsynced) await synced.catch(() => {});
    if (this.#inFlight >= this.#maxInFlight) await this.#chain;
    if (this.#failure) throw this.#failure;
  }

  deadLetter(letter: DeadLetter): Promise<void> {
    return this.#sink.deadLetter(letter);
  }

  /** Resolves once everything received so far is published; rejects if the journal or the bus failed. */
  async flush(): Promise<void> {
    await this.#chain;
    if (this.#failure) throw this.#failure;
  }

  /** Seals the current segment when it holds records, and deletes the sealed segments every consumer committed. */
  housekeep(): Promise<void> {
    this.#housekeeping ??= this.#housekeep().finally(() => (this.#housekeeping = null));
    return this.#housekeeping;
  }

  /**
   * After the consumers drained and stopped: deletes what they committed and closes the journal. What
   * they did not commit stays, and is published again at the next start.
   */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#chain;
    await this.housekeep().catch(() => {});
    await this.#journal.close();
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#stats, unsynced: this.#unsynced, inFlight: this.#inFlight, syncs: this.#journal.syncs, segmentsHeld: this.#sealed.reduce((sum, sealed) => sum + sealed.segments.length, 0) + 1 };
  }

  async #housekeep(): Promise<void> {
    if (this.#journal.segmentRecords > 0) {
      const sealed: Sealed = { segments: [this.#journal.rotate()], ends: null };
      this.#sealed.push(sealed);
      this.#then(async () => {
        sealed.ends = (await this.#offsets()).ends;
      });
      await this.#chain;
    }
    const { committed } = await this.#offsets();
    let durable = 0;
    for (const { ends } of this.#sealed) {
      if (!ends || !ends.every((end, partition) => (committed[partition] ?? end) >= end)) break;
      durable++;
    }
    const removed = this.#sealed.splice(0, durable).flatMap((sealed) => sealed.segments);
    await this.#journal.remove(removed);
    this.#stats.segmentsRemoved += removed.length;
  }

  #then(step: () => Promise<void>): void {
    this.#chain = this.#chain
      .then(() => (this.#failure ? undefined : step()))
      .catch((error: unknown) => {
        this.#failure ??= error instanceof Error ? error : new Error(String(error));
      });
  }
}
