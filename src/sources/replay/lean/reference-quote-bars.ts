import type { BarInterval } from '../../../model/bar.ts';
import type { SideOhlc } from '../../../model/quote-bar.ts';
import { ERROR_CODES, TickflowError } from '../../../errors.ts';
import { readLines } from '../line-reader.ts';
import { zonedTimeToUtc } from '../../../time-zone.ts';
import { describeLeanFile, intradayInterval, localMidnightOf, type LeanFileInfo, type LeanFileOverrides } from './lean-file.ts';
import { LEAN_EQUITY_PRICE_SCALE } from './lean-records.ts';
import { openLeanZip } from './lean-zip.ts';

/** A quote bar from Lean's files, to check ours against. */
export interface ReferenceQuoteBar {
  /** Unix ms. */
  readonly start: number;
  readonly bid: SideOhlc;
  readonly ask: SideOhlc;
  /** As written: Lean writes 0 where no size was seen (OANDA forex has none). */
  readonly lastBidSize: number;
  readonly lastAskSize: number;
}

export interface LeanReferenceQuoteBars {
  readonly info: LeanFileInfo;
  readonly interval: BarInterval;
  readonly bars: readonly ReferenceQuoteBar[];
}


/**
 * Loads Lean's own second or minute quote bars, `start_ms,bid_o,bid_h,bid_l,bid_c,last_bid_size,
 * ask_o,ask_h,ask_l,ask_c,last_ask_size`: forex prices as written, equity prices in deci-cents
 * divided out. Throws on a malformed line: a reference must be trusted whole.
 */
export async function loadLeanReferenceQuoteBars(path: string, overrides: LeanFileOverrides = {}): Promise<LeanReferenceQuoteBars> {
  const entry = await openLeanZip(path);
  try {
    const info = describeLeanFile(path, entry.entryName, overrides);
    const interval = intradayInterval(info);
    if (!interval || info.dataType !== 'quote') {
      throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path}: reference quote bars must be second or minute quote bars, not ${info.resolution} ${info.dataType} data`);
    }
    const localMidnight = localMidnightOf(info);
    const scale = info.assetClass === 'equity' ? LEAN_EQUITY_PRICE_SCALE : 1;
    const bars: ReferenceQuoteBar[] = [];
    let lineNumber = 0;
    for await (const line of readLines(entry.stream)) {
      lineNumber++;
      if (line.trim() === '') continue;
      const fields = line.split(',').map(Number);
      if (fields.length !== 11 || !fields.every(Number.isFinite)) {
        throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path} line ${lineNumber}: not a Lean quote bar: ${line.slice(0, 200)}`);
      }
      const [ms, bidOpen, bidHigh, bidLow, bidClose, lastBidSize, askOpen, askHigh, askLow, askClose, lastAskSize] = fields as [number, ...number[]];
      bars.push({
        start: zonedTimeToUtc(info.timeZone, localMidnight + ms),
        bid: { open: bidOpen! / scale, high: bidHigh! / scale, low: bidLow! / scale, close: bidClose! / scale },
        ask: { open: askOpen! / scale, high: askHigh! / scale, low: askLow! / scale, close: askClose! / scale },
        lastBidSize: lastBidSize!,
        lastAskSize: lastAskSize!,
      });
    }
    return { info, interval, bars };
  } finally {
    entry.stream.destroy();
    entry.close();
  }
}
