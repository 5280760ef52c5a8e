import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ArchiveFiles } from './archive-files.ts';

const CHUNK = 4 << 20;

interface Received {
  readonly tsEvent: number;
  readonly tsRecv: number;
}

/**
 * Which of `values` (records about to be published again after a crash) the archive of `topic`
 * already holds, as their JSON. Each file the values' days map to is read backwards from its end, a
 * chunk at a time, until a whole chunk holds no line received at or after the earliest of them: the
 * archive writes in receive order up to the interleaving of partitions, which is far shorter than a chunk.
 */
export async function archivedValues(dir: string, topic: string, values: readonly Received[]): Promise<Set<string>> {
  const wanted = new Set(values.map((value) => JSON.stringify(value)));
  const found = new Set<string>();
  if (values.length === 0) return found;
  const earliest = Math.min(...values.map((value) => value.tsRecv));
  const files = new Set(values.map((value) => ArchiveFiles.pathFor(dir, topic, value.tsEvent)));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const handle = await open(file, 'r');
    try {
      let end = (await handle.stat()).size;
      let carry = Buffer.alloc(0);
      while (end > 0) {
        const start = Math.max(0, end - CHUNK);
        const chunk = Buffer.alloc(end - start);
        await handle.read(chunk, 0, chunk.length, start);
        const data = Buffer.concat([chunk, carry]);
        // The text before the first newline may be the end of a line that starts in the previous chunk.
        const firstNewline = start === 0 ? -1 : data.indexOf(0x0a);
        carry = firstNewline < 0 ? Buffer.alloc(0) : data.subarray(0, firstNewline + 1);
        let recent = false;
        for (const line of data.subarray(firstNewline + 1).toString('utf8').split('\n')) {
          const value = valueOf(line);
          if (!value) continue;
          if (typeof value.tsRecv === 'number' && value.tsRecv >= earliest) recent = true;
          const json = JSON.stringify(value);
          if (wanted.has(json)) found.add(json);
        }
        if (!recent) break;
        end = start;
      }
    } finally {
      await handle.close();
    }
  }
  return found;
}

function valueOf(line: string): { tsRecv?: unknown } | null {
  if (line === '') return null;
  try {
    const value = (JSON.parse(line) as { value?: unknown }).value;
    return typeof value === 'object' && value !== null ? (value as { tsRecv?: unknown }) : null;
  } catch {
    return null;
  }
}
