import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

interface OpenFile {
  readonly handle: FileHandle;
  size: number;
}

/**
 * Append-only JSON Lines files, one per topic and UTC day: `<dir>/<topic>/<YYYY-MM-DD>.jsonl`.
 * `append` returns only after the data reached the disk (fdatasync).
 */
export class ArchiveFiles {
  readonly #open = new Map<string, OpenFile>();
  /** Lines cut short by an earlier crash, removed when their file was reopened. */
  truncatedLines = 0;

  static pathFor(dir: string, topic: string, timestamp: number): string {
    return join(dir, topic, `${new Date(timestamp).toISOString().slice(0, 10)}.jsonl`);
  }

  /** `pathFor`, remembered per topic and UTC day: it runs once per archived record. */
  static pathCache(dir: string): (topic: string, timestamp: number) => string {
    const paths = new Map<string, string[]>();
    return (topic, timestamp) => {
      const day = Math.floor(timestamp / 86_400_000);
      let byDay = paths.get(topic);
      if (!byDay) paths.set(topic, (byDay = []));
      return (byDay[day] ??= ArchiveFiles.pathFor(dir, topic, timestamp));
    };
  }

  /** Writes every file's lines and syncs them; returns the size of each file written. */
  async append(linesByFile: ReadonlyMap<string, readonly string[]>): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    await Promise.all(
      [...linesByFile].map(async ([path, lines]) => {
        const file = await this.#file(path);
        const data = Buffer.from(lines.join('\n') + '\n');
        await file.handle.write(data, 0, data.length, file.size);
        await file.handle.datasync();
        file.size += data.length;
        sizes.set(path, file.size);
      }),
    );
    await this.#closeAllBut(new Set(linesByFile.keys()));
    return sizes;
  }

  async close(): Promise<void> {
    await this.#closeAllBut(new Set());
  }

  async #file(path: string): Promise<OpenFile> {
    let file = this.#open.get(path);
    if (!file) {
      await mkdir(join(path, '..'), { recursive: true });
      const handle = await open(path, 'a+');
      file = { handle, size: await this.#completeLinesSize(handle) };
      this.#open.set(path, file);
    }
    return file;
  }

  /**
   * The size up to the file's last newline; anything after it is a line a crash cut short (its
   * records were never committed, so the bus delivers them again) and is cut off.
   */
  async #completeLinesSize(handle: FileHandle): Promise<number> {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    const tail = Buffer.alloc(Math.min(size, 1 << 20));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (tail[tail.length - 1] === 0x0a) return size;
    const lastNewline = tail.lastIndexOf(0x0a);
    const complete = lastNewline < 0 ? size - tail.length : size - tail.length + lastNewline + 1;
    await handle.truncate(complete);
    this.truncatedLines++;
    return complete;
  }

  /** Keeps file handles only for files still being written (yesterday's file closes at midnight). */
  async #closeAllBut(keep: ReadonlySet<string>): Promise<void> {
    for (const [path, file] of this.#open) {
      if (keep.has(path)) continue;
      this.#open.delete(path);
      await file.handle.close();
    }
  }
}
