import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { MarketRecord } from '../../model/market-record.ts';

/** A segment file of the journal, by its number (`<dir>/<number>.journal`). */
export interface JournalSegment {
  readonly id: number;
  readonly path: string;
}

export interface RecoveredJournal {
  /** Every record the segments found at open hold, in the order they were appended. */
  readonly records: readonly MarketRecord[];
  readonly segments: readonly JournalSegment[];
  /** Bytes of those segments: how much the records take on disk. */
  readonly bytes: number;
  /** Records cut short or corrupted by a crash, dropped from the end of a segment. */
  readonly tornRecords: number;
}

interface Group {
  readonly lines: string[];
  /** Close the segment after this group and start the next one. */
  rotate: boolean;
  readonly written: PromiseWithResolvers<void>;
  readonly synced: PromiseWithResolvers<void>;
}

/** Where appended records stand: `written` once in the file (a killed process keeps them), `synced` once fdatasync'd (a power loss keeps them). */
export interface JournalAppend {
  readonly written: Promise<void>;
  readonly synced: Promise<void>;
}

const SUFFIX = '.journal';

/**
 * A write-ahead journal of received market records: append-only segment files in one directory,
 * one record a line (`<crc32 of the JSON, 8 hex> <JSON>`). An append's records are written at once
 * (appends made while a write is in flight go together in the next), then
 * covered by one fdatasync with everything written while the previous sync ran (group commit). `rotate` starts
 * a new segment after what was appended so far; `remove` deletes segments once their records are
 * durable elsewhere. At open, a segment's torn or corrupted tail (a crash mid-write) is cut off.
 */
export class IngestJournal {
  readonly dir: string;
  readonly recovered: RecoveredJournal;
  #segment: JournalSegment;
  #handle: FileHandle;
  #size = 0;
  readonly #groups: Group[] = [];
  #writing: Promise<void> | null = null;
  #syncing: Promise<void> | null = null;
  /** Groups written and waiting for an fdatasync. */
  readonly #written: Group[] = [];
  #failure: Error | null = null;
  #closed = false;
  /** The segment the open file is; trails `#segment` while a rotation waits for its group. */
  #fileId: number;
  #segmentRecords = 0;
  /** fdatasyncs made; each covers every group written before it started (group commit). */
  syncs = 0;

  private constructor(dir: string, recovered: RecoveredJournal, segment: JournalSegment, handle: FileHandle) {
    this.dir = dir;
    this.recovered = recovered;
    this.#segment = segment;
    this.#handle = handle;
    this.#fileId = segment.id;
  }

  /** Opens the journal in `dir` (created if missing): reads what earlier runs left, then appends to a new segment. */
  static async open(dir: string): Promise<IngestJournal> {
    await mkdir(dir, { recursive: true });
    const recovered = await recover(dir);
    const next = (recovered.segments.at(-1)?.id ?? 0) + 1;
    const segment = segmentAt(dir, next);
    const handle = await openSegment(segment);
    return new IngestJournal(dir, recovered, segment, handle);
  }

  /** Records appended since the last rotation. */
  get segmentRecords(): number {
    return this.#segmentRecords;
  }

  /** Queues `records`; both promises reject (as do all later appends') if the disk refused them. */
  append(records: readonly MarketRecord[]): JournalAppend {
    if (this.#failure) {
      const refused = Promise.reject(this.#failure);
      refused.catch(() => {});
      return { written: refused, synced: refused };
    }
    const group = this.#openGroup();
    this.#segmentRecords += records.length;
    for (const record of records) {
      const json = JSON.stringify(record);
      group.lines.push(`${crc32(json).toString(16).padStart(8, '0')} ${json}\n`);
    }
    this.#kickWriter();
    return { written: group.written.promise, synced: group.synced.promise };
  }

  /**
   * Seals the current segment after everything appended so far; later appends go to the next one.
   * Returns the sealed segment (at once; it is closed on disk once its last group synced).
   */
  rotate(): JournalSegment {
    const sealed = this.#segment;
    this.#openGroup().rotate = true;
    this.#segment = segmentAt(this.dir, sealed.id + 1);
    this.#segmentRecords = 0;
    this.#kickWriter();
    return sealed;
  }

  /** Deletes segments whose records are durable downstream. */
  async remove(segments: readonly JournalSegment[]): Promise<void> {
    for (const segment of segments) await rm(segment.path, { force: true });
  }

  /** Writes what is pending, then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#writing || this.#syncing) await (this.#writing ?? this.#syncing);
    await this.#handle.close();
  }

  #openGroup(): Group {
    const last = this.#groups.at(-1);
    // The group being written is taken off the queue first, so the last one queued is still open.
    if (last && !last.rotate) return last;
    const group: Group = { lines: [], rotate: false, written: Promise.withResolvers(), synced: Promise.withResolvers() };
    group.written.promise.catch(() => {});
    group.synced.promise.catch(() => {});
    this.#groups.push(group);
    return group;
  }

  /** Starts the writer unless it runs; it is cleared asynchronously, so never before it is set. */
  #kickWriter(): void {
    this.#writing ??= this.#writeGroups().finally(() => (this.#writing = null));
  }

  #kickSyncer(): void {
    this.#syncing ??= this.#syncWritten().finally(() => (this.#syncing = null));
  }

  /**
   * Writes each group as soon as it is queued (a crash of the process then loses nothing written:
   * the page cache outlives it) and leaves the fdatasync to the syncer, which covers every group
   * written before it started. A sealed segment is synced before its file is closed.
   */
  async #writeGroups(): Promise<void> {
    for (let group = this.#groups.shift(); group !== undefined; group = this.#groups.shift()) {
      try {
        if (this.#failure) throw this.#failure;
        if (group.lines.length > 0) {
          const data = Buffer.from(group.lines.join(''));
          await this.#handle.write(data, 0, data.length, this.#size);
          this.#size += data.length;
        }
        group.written.resolve();
        this.#written.push(group);
        this.#kickSyncer();
        if (group.rotate) {
          while (this.#syncing) await this.#syncing;
          if (this.#failure) throw this.#failure;
          await this.#startNextSegment();
        }
      } catch (error) {
        this.#failure ??= error as Error;
        group.written.reject(this.#failure);
        group.synced.reject(this.#failure);
      }
    }
  }

  async #syncWritten(): Promise<void> {
    while (this.#written.length > 0) {
      const covered = this.#written.splice(0);
      try {
        if (this.#failure) throw this.#failure;
        await this.#handle.datasync();
        this.syncs++;
        for (const group of covered) group.synced.resolve();
      } catch (error) {
        this.#failure ??= error as Error;
        for (const group of covered) group.synced.reject(this.#failure);
      }
    }
  }

  async #startNextSegment(): Promise<void> {
    await this.#handle.close();
    this.#fileId++;
    this.#handle = await openSegment(segmentAt(this.dir, this.#fileId));
    this.#size = 0;
  }
}

function segmentAt(dir: string, id: number): JournalSegment {
  return { id, path: join(dir, `${String(id).padStart(12, '0')}${SUFFIX}`) };
}

async function openSegment(segment: JournalSegment): Promise<FileHandle> {
  const handle = await open(segment.path, 'w');
  // The new file's name must survive a power loss too, or its synced records would be unreachable.
  const directory = await open(join(segment.path, '..'), 'r');
  await directory.sync().catch(() => {});
  await directory.close();
  return handle;
}

async function recover(dir: string): Promise<RecoveredJournal> {
  const segments = (await readdir(dir))
    .filter((name) => name.endsWith(SUFFIX) && /^\d+$/.test(name.slice(0, -SUFFIX.length)))
    .map((name) => segmentAt(dir, Number(name.slice(0, -SUFFIX.length))))
    .sort((a, b) => a.id - b.id);
  const records: MarketRecord[] = [];
  let bytes = 0;
  let tornRecords = 0;
  for (const segment of segments) {
    const data = await readFile(segment.path);
    bytes += data.length;
    const { parsed, validBytes } = parseSegment(data);
    records.push(...parsed);
    if (validBytes < data.length) {
      tornRecords++;
      const handle = await open(segment.path, 'r+');
      await handle.truncate(validBytes);
      await handle.sync();
      await handle.close();
    }
  }
  return { records, segments, bytes, tornRecords };
}

/** The records of a segment up to its first line that is incomplete or fails its checksum. */
export function parseSegment(data: Buffer): { parsed: MarketRecord[]; validBytes: number } {
  const parsed: MarketRecord[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start);
    if (end < 0) break;
    const line = data.subarray(start, end).toString('utf8');
    const json = line.slice(9);
    if (line[8] !== ' ' || line.slice(0, 8) !== crc32(json).toString(16).padStart(8, '0')) break;
    try {
      parsed.push(JSON.parse(json) as MarketRecord);
    } catch {
      break;
    }
    start = end + 1;
  }
  return { parsed, validBytes: start };
}
