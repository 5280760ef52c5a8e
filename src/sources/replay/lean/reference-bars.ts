import type { BarInterval } from '../../../model/bar.ts';
import type { ReferenceBar } from './compare-bars.ts';
import { ERROR_CODES, TickflowError } from '../../../errors.ts';
import { readLines } from '../line-reader.ts';
import { zonedTimeToUtc } from '../../../time-zone.ts';
import { describeLeanFile, intradayInterval, localMidnightOf, type LeanFileInfo, type LeanFileOverrides } from './lean-file.ts';
import { LEAN_EQUITY_PRICE_SCALE } from './lean-records.ts';
import { openLeanZip } from './lean-zip.ts';

export interface LeanReferenceBars {
  readonly info: LeanFileInfo;
  readonly interval: BarInterval;
  /** Bar starts in Unix ms; prices in currency units (equity deci-cents divided out). */
  readonly bars: readonly ReferenceBar[];
}


/**
 * Loads Lean's own second or minute trade bars `start_ms,open,high,low,close,volume` (deci-cents) to
 * check ours against; quote bars are `loadLeanReferenceQuoteBars`'. Throws on a malformed line: a
 * reference must be trusted whole.
 */
export async function loadLeanReferenceBars(path: string, overrides: LeanFileOverrides = {}): Promise<LeanReferenceBars> {
  const entry = await openLeanZip(path);
  try {
    const info = describeLeanFile(path, entry.entryName, overrides);
    const interval = intradayInterval(info);
    if (!interval) throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path}: reference bars must be second or minute bars, not ${info.resolution}`);
    if (info.dataType !== 'trade') throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path}: quote bars are read by loadLeanReferenceQuoteBars`);
    const localMidnight = localMidnightOf(info);
    const bars: ReferenceBar[] = [];
    let lineNumber = 0;
    for await (const line of readLines(entry.stream)) {
      lineNumber++;
      if (line.trim() === '') continue;
      const fields = line.split(',').map(Number);
      const bar = fields.every(Number.isFinite) ? tradeBar(fields, zonedTimeToUtc(info.timeZone, localMidnight + fields[0]!)) : null;
      if (!bar) throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path} line ${lineNumber}: not a Lean ${info.dataType} bar: ${line.slice(0, 200)}`);
      bars.push(bar);
    }
    return { info, interval, bars };
  } finally {
    entry.stream.destroy();
    entry.close();
  }
}

function tradeBar(fields: readonly number[], start: number): ReferenceBar | null {
  if (fields.length !== 6) return null;
  const [, open, high, low, close, volume] = fields as [number, number, number, number, number, number];
  const scale = LEAN_EQUITY_PRICE_SCALE;
  return { start, open: open / scale, high: high / scale, low: low / scale, close: close / scale, volume };
}
