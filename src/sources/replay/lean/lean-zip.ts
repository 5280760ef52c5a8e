import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ERROR_CODES, TickflowError } from '../../../errors.ts';

/** The one CSV inside a Lean zip, opened as a stream of uncompressed bytes. */
export interface LeanZipEntry {
  readonly entryName: string;
  readonly uncompressedSize: number;
  readonly stream: Readable;
  close(): void;
}

/** Opens the first `.csv` entry of a Lean zip (Lean's zips hold exactly one). Inflates as read. */
export async function openLeanZip(path: string): Promise<LeanZipEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `cannot open zip ${path}: ${(error as Error).message}`, { cause: error });
  }
  const close = (): void => {
    if (zip.isOpen) zip.close();
  };
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.toLowerCase().endsWith('.csv')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      return { entryName: entry.fileName, uncompressedSize: entry.uncompressedSize, stream, close };
    }
  } catch (error) {
    close();
    throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `cannot read zip ${path}: ${(error as Error).message}`, { cause: error });
  }
  close();
  throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `zip ${path} holds no .csv file`);
}
