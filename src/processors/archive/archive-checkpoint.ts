import { existsSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

type Offsets = Record<string, Record<string, number>>;

interface CheckpointFile {
  readonly version: 1;
  /** Highest archived offset per topic and partition. */
  readonly offsets: Offsets;
  /** Size of each file the last batch wrote, once synced. */
  readonly files: Record<string, number>;
}

const FILE_NAME = '.checkpoint.json';

/**
 * Which offsets are already in the archive, so a record the bus delivers again (after a crash
 * between a write and its commit) is not written twice. Saved after every synced batch. Whatever a
 * crashed run wrote after its last save is found again at start-up by reading the files past the
 * sizes the checkpoint recorded, and any files newer than the checkpoint.
 */
export class ArchiveCheckpoint {
  readonly #dir: string;
  readonly #offsets = new Map<string, number[]>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async load(dir: string, topics: readonly string[]): Promise<ArchiveCheckpoint> {
    const checkpoint = new ArchiveCheckpoint(dir);
    const path = join(dir, FILE_NAME);
    let saved: CheckpointFile | null = null;
    let savedAt = 0;
    if (existsSync(path)) {
      try {
        saved = JSON.parse(await readFile(path, 'utf8')) as CheckpointFile;
      } catch (error) {
        throw new TickflowError(ERROR_CODES.STATE_UNREADABLE, `the archive checkpoint ${path} is unreadable (${(error as Error).message}); delete it and the archive rebuilds it from its files`, { cause: error });
      }
      savedAt = (await stat(path)).mtimeMs;
      for (const [topic, partitions] of Object.entries(saved.offsets)) {
        for (const [partition, offset] of Object.entries(partitions)) checkpoint.#raise(topic, Number(partition), offset);
      }
    }
    for (const topic of topics) {
      const topicDir = join(dir, topic);
      if (!existsSync(topicDir)) continue;
      for (const name of await readdir(topicDir)) {
        const file = join(topicDir, name);
        const recorded = saved?.files[file];
        const { size, mtimeMs } = await stat(file);
        if (recorded !== undefined ? size > recorded : !saved || mtimeMs >= savedAt) {
          await checkpoint.#scan(topic, file, recorded ?? 0);
        }
      }
    }
    return checkpoint;
  }

  /** Whether the archive already holds this record. */
  holds(topic: string, partition: number, offset: number): boolean {
    const highest = this.#offsets.get(topic)?.[partition];
    return highest !== undefined && offset <= highest;
  }

  /** Records what a synced batch wrote, then saves atomically (temporary file, sync, rename). */
  async save(written: ReadonlyArray<{ topic: string; partition: number; offset: number }>, fileSizes: ReadonlyMap<string, number>): Promise<void> {
    for (const { topic, partition, offset } of written) this.#raise(topic, partition, offset);
    const offsets: Offsets = {};
    for (const [topic, partitions] of this.#offsets) {
      offsets[topic] = Object.fromEntries(partitions.flatMap((offset, partition) => (offset === undefined ? [] : [[String(partition), offset]])));
    }
    const content: CheckpointFile = { version: 1, offsets, files: Object.fromEntries(fileSizes) };
    const path = join(this.#dir, FILE_NAME);
    const temporary = `${path}.tmp`;
    await writeFile(temporary, JSON.stringify(content));
    const handle = await open(temporary, 'r+');
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
    const directory = await open(dirname(path), 'r');
    await directory.sync().catch(() => {});
    await directory.close();
  }

  #raise(topic: string, partition: number, offset: number): void {
    let partitions = this.#offsets.get(topic);
    if (!partitions) this.#offsets.set(topic, (partitions = []));
    if (partitions[partition] === undefined || offset > partitions[partition]!) partitions[partition] = offset;
  }

  async #scan(topic: string, file: string, from: number): Promise<void> {
    const text = (await readFile(file)).subarray(from).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const { partition, offset } = JSON.parse(line) as { partition: number; offset: number };
        if (Number.isInteger(partition) && Number.isInteger(offset)) this.#raise(topic, partition, offset);
      } catch {
        // A line cut short by a crash: ArchiveFiles truncates it before appending again.
      }
    }
  }
}
