import type { BusRecord } from '../../bus/bus.ts';
import type { Processor } from '../runner/processor.ts';
import { ArchiveCheckpoint } from './archive-checkpoint.ts';
import { ArchiveFiles } from './archive-files.ts';

export interface ArchiveOptions {
  readonly dir: string;
  readonly topics: readonly string[];
  /** Write once this many records are waiting (default 50)… */
  readonly batchSize?: number;
  /** …or once the oldest waiting record is this old (default 1 000 ms). */
  readonly flushMs?: number;
  /**
   * Skip records the archive already holds, by topic, partition and offset (see ArchiveCheckpoint).
   * Only for a bus whose offsets outlive the process (Kafka): the memory bus starts again at 0.
   */
  readonly dedupe?: boolean;
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
  readonly #batchSize: number;
  readonly #flushMs: number;
  readonly #dir: string;
  readonly #dedupe: boolean;
  #checkpoint: Promise<ArchiveCheckpoint> | null = null;
  /** Size of every file this process wrote, as of its last synced batch. */
  readonly #fileSizes = new Map<string, number>();
  #duplicates = 0;
  #pending: BusRecord[] = [];
  #write: { readonly promise: Promise<readonly BusRecord[]>; done: boolean } | null = null;
  #oldestPendingAt = 0;
  #written = 0;
  #batches = 0;

  constructor(options: ArchiveOptions) {
    this.topics = options.topics;
    this.#pathFor = ArchiveFiles.pathCache(options.dir);
    this.#files = new ArchiveFiles();
    this.#batchSize = options.batchSize ?? 50;
    this.#flushMs = options.flushMs ?? 1_000;
    this.#dir = options.dir;
    this.#dedupe = options.dedupe ?? false;
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    if (this.#pending.length === 0) this.#oldestPendingAt = Date.now();
    this.#pending.push(...batch);
    return this.#pending.length >= this.#batchSize ? this.#startWrite() : this.#takeWritten();
  }

  async tick(): Promise<readonly BusRecord[]> {
    const due = this.#pending.length > 0 && Date.now() - this.#oldestPendingAt >= this.#flushMs;
    return due ? this.#startWrite() : this.#takeWritten();
  }

  async close(): Promise<readonly BusRecord[]> {
    const earlier = await this.#awaitWrite();
    const last = await this.#flush();
    await this.#files.close();
    return [...earlier, ...last];
  }

  stats(): Readonly<Record<string, number>> {
    return { written: this.#written, batches: this.#batches, pending: this.#pending.length, duplicatesSkipped: this.#duplicates, truncatedLines: this.#files.truncatedLines };
  }

  /**
   * Waits for the write in flight, then starts writing what is pending and returns without waiting
   * for it: the next batches are read and prepared while the disk syncs. Writes stay one at a
   * time and in order, so what is reported durable is always a prefix of what was read.
   */
  async #startWrite(): Promise<readonly BusRecord[]> {
    const earlier = await this.#awaitWrite();
    const writing = this.#flush();
    const write = { promise: writing, done: false };
    writing.then(
      () => (write.done = true),
      () => (write.done = true),
    );
    this.#write = write;
    return earlier;
  }

  /** The records of a finished write (or none while it is still syncing). */
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

  async #flush(): Promise<readonly BusRecord[]> {
    const records = this.#pending;
    if (records.length === 0) return records;
    // On a failed write these records stay uncommitted and the runner reads them again.
    this.#pending = [];
    const checkpoint = this.#dedupe ? await (this.#checkpoint ??= ArchiveCheckpoint.load(this.#dir, this.topics)) : null;
    const linesByFile = new Map<string, string[]>();
    for (const record of records) {
      if (checkpoint?.holds(record.topic, record.partition, record.offset)) {
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
}

/** The day a record belongs to is its event's day when it has one (replayed history files by its own date). */
function eventTime(record: BusRecord): number {
  const tsEvent = (record.value as { tsEvent?: unknown } | null)?.tsEvent;
  return typeof tsEvent === 'number' && Number.isFinite(tsEvent) ? tsEvent : record.timestamp;
}
