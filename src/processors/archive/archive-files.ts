import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Append-only JSON Lines files, one per topic and UTC day: `<dir>/<topic>/<YYYY-MM-DD>.jsonl`.
 * `append` returns only after the data reached the disk (fdatasync).
 */
export class ArchiveFiles {
  readonly #open = new Map<string, FileHandle>();

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

  /** Writes every file's lines and syncs them. */
  async append(linesByFile: ReadonlyMap<string, readonly string[]>): Promise<void> {
    await Promise.all(
      [...linesByFile].map(async ([path, lines]) => {
        const file = await this.#handle(path);
        await file.appendFile(lines.join('\n') + '\n');
        await file.datasync();
      }),
    );
    await this.#closeAllBut(new Set(linesByFile.keys()));
  }

  async close(): Promise<void> {
    await this.#closeAllBut(new Set());
  }

  async #handle(path: string): Promise<FileHandle> {
    let file = this.#open.get(path);
    if (!file) {
      await mkdir(join(path, '..'), { recursive: true });
      file = await open(path, 'a');
      this.#open.set(path, file);
    }
    return file;
  }

  /** Keeps file handles only for files still being written (yesterday's file closes at midnight). */
  async #closeAllBut(keep: ReadonlySet<string>): Promise<void> {
    for (const [path, file] of this.#open) {
      if (keep.has(path)) continue;
      this.#open.delete(path);
      await file.close();
    }
  }
}
