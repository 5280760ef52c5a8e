import type { BusRecord } from '../../bus/bus.ts';
import type { Clock } from '../../clock.ts';
import { BatchingWriter } from '../runner/batching-writer.ts';
import type { Processor } from '../runner/processor.ts';
import { ArchiveCheckpoint } from './archive-checkpoint.ts';
import { ArchiveFiles } from './archive-files.ts';

export const ARCHIVE_DEFAULTS = { batchSize: 50, flushMs: 1_000 } as const;

export interface ArchiveOptions {
  readonly dir: string;
  readonly topics: readonly string[];
  /** Write once this many records are waiting (default `ARCHIVE_DEFAULTS.batchSize`)… */
  readonly batchSize?: number;
  /** …or once the oldest waiting record is this old (default `ARCHIVE_DEFAULTS.flushMs`). */
  readonly flushMs?: number;
  /** The time `flushMs` is measured on; default the system clock. */
  readonly clock?: Clock;
  /**
   * Skip records the archive already holds, by topic, partition and offset (see ArchiveCheckpoint).
   * Only for a bus whose offsets outlive the process (Kafka): the memory bus starts again at 0.
   */
  readonly dedupe?: boolean;
  /**
   * Records of `topic` the archive already holds that the bus may deliver again with new offsets (the
   * ingest journal publishes again what a crash left in it), as the JSON of their values: each is
   * skipped once. See `archivedValues`.
   */
  readonly alreadyArchived?: { readonly topic: string; readonly values: Set<string> };
}

/**
 * Archives records as JSON Lines, one file per topic and day, each line
 * `{"partition","offset","key","timestamp","value"}`. Records are reported durable (and so
 * committed) only after their file was synced.
 */
export class ArchiveProcessor implements Processor {
  readonly name = 'archive';
  readonly topics: readonly string[];
  readonly #files: ArchiveFiles;
  readonly #pathFor: (topic: string, timestamp: number) => string;
  readonly #writer: BatchingWriter;
  readonly #dir: string;
  readonly #dedupe: boolean;
  #alreadyArchived: ArchiveOptions['alreadyArchived'] | null;
  #checkpoint: Promise<ArchiveCheckpoint> | null = null;
  /** Size of every file this process wrote, as of its last synced batch. */
  readonly #fileSizes = new Map<string, number>();
  #duplicates = 0;
  #written = 0;
  #batches = 0;

  constructor(options: ArchiveOptions) {
    this.topics = options.topics;
    this.#pathFor = ArchiveFiles.pathCache(options.dir);
    this.#files = new ArchiveFiles();
    this.#writer = new BatchingWriter({
      batchSize: options.batchSize ?? ARCHIVE_DEFAULTS.batchSize,
      flushMs: options.flushMs ?? ARCHIVE_DEFAULTS.flushMs,
      write: (records) => this.#archive(records),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.#dir = options.dir;
    this.#dedupe = options.dedupe ?? false;
    this.#alreadyArchived = options.alreadyArchived?.values.size ? options.alreadyArchived : null;
  }

  process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    return this.#writer.add(batch);
  }

  tick(): Promise<readonly BusRecord[]> {
    return this.#writer.tick();
  }

  async close(): Promise<readonly BusRecord[]> {
    const written = await this.#writer.close();
    await this.#files.close();
    return written;
  }

  stats(): Readonly<Record<string, number>> {
    return { written: this.#written, batches: this.#batches, pending: this.#writer.pending, duplicatesSkipped: this.#duplicates, truncatedLines: this.#files.truncatedLines };
  }

  async #archive(records: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const checkpoint = this.#dedupe ? await (this.#checkpoint ??= ArchiveCheckpoint.load(this.#dir, this.topics)) : null;
    const linesByFile = new Map<string, string[]>();
    for (const record of records) {
      if (checkpoint?.holds(record.topic, record.partition, record.offset)) {
        this.#duplicates++;
        continue;
      }
      if (this.#alreadyArchived && this.#heldAlready(record)) {
        this.#duplicates++;
        continue;
      }
      const path = this.#pathFor(record.topic, eventTime(record));
      let lines = linesByFile.get(path);
      if (!lines) linesByFile.set(path, (lines = []));
      lines.push(JSON.stringify({ partition: record.partition, offset: record.offset, key: record.key, timestamp: record.timestamp, value: record.value }));
    }
    for (const [path, size] of await this.#files.append(linesByFile)) this.#fileSizes.set(path, size);
    await checkpoint?.save(records, this.#fileSizes);
    this.#written += records.length;
    this.#batches++;
    return records;
  }

  #heldAlready(record: BusRecord): boolean {
    const held = this.#alreadyArchived!;
    if (record.topic !== held.topic) return false;
    const skip = held.values.delete(JSON.stringify(record.value));
    if (held.values.size === 0) this.#alreadyArchived = null;
    return skip;
  }
}

/** The day a record belongs to is its event's day when it has one (replayed history files by its own date). */
function eventTime(record: BusRecord): number {
  const tsEvent = (record.value as { tsEvent?: unknown } | null)?.tsEvent;
  return typeof tsEvent === 'number' && Number.isFinite(tsEvent) ? tsEvent : record.timestamp;
}
