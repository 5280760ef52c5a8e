import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

const DATA_FILE = /\.(zip|jsonl)$/i;

/**
 * The files a backtest may read: each path that is a file, and every `.zip` and `.jsonl` file under
 * each path that is a directory (recursively), named as the path given joined with the path found
 * under it. Paths keep the order given; a directory's files come sorted by their path (code-unit
 * order, not locale order: the same on every machine). A file reached twice is taken once.
 */
export async function findInputFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: unknown) => {
      throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
    });
    if (!info.isDirectory()) {
      found.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const names = entries.filter((entry) => entry.isFile() && DATA_FILE.test(entry.name)).map((entry) => relative(path, join(entry.parentPath, entry.name)));
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) found.push(join(path, name));
  }
  const unique = [...new Set(found)];
  if (unique.length === 0) throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `no .zip or .jsonl file found in ${paths.join(', ') || '(no path given)'}`);
  return unique;
}
