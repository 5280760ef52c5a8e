import { ERROR_CODES, TickflowError } from '../../../errors.ts';
import { readLines, type ByteCounter } from '../line-reader.ts';
import type { ReplayInput } from '../replay-input.ts';
import { describeLeanFile, type LeanFileInfo, type LeanFileOverrides } from './lean-file.ts';
import { leanLineParser } from './lean-records.ts';
import { openLeanZip } from './lean-zip.ts';

export interface LeanInputOptions extends LeanFileOverrides {
  /** `source` of the trades or quotes (default `lean`). */
  readonly source?: string;
}

/** A Lean tick zip (US equity trades or forex quotes) as replay input, streamed from the zip. */
export async function openLeanInput(path: string, options: LeanInputOptions = {}): Promise<ReplayInput & { readonly info: LeanFileInfo }> {
  const entry = await openLeanZip(path);
  let info: LeanFileInfo;
  try {
    info = describeLeanFile(path, entry.entryName, options);
    if (info.resolution !== 'tick' || (info.assetClass === 'equity' && info.dataType !== 'trade')) {
      throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path}: replay reads Lean tick files of equity trades or forex quotes, not ${info.assetClass} ${info.resolution} ${info.dataType} data`);
    }
  } catch (error) {
    entry.stream.destroy();
    entry.close();
    throw error;
  }
  const parse = leanLineParser(info, options.source ?? 'lean');
  const counter: ByteCounter = { bytes: 0 };
  return {
    info,
    origin: 'lean',
    totalBytes: entry.uncompressedSize,
    lines: () => readLines(entry.stream, counter),
    bytesRead: () => counter.bytes,
    parse,
    close: async () => {
      entry.stream.destroy();
      entry.close();
    },
  };
}
