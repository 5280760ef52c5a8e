import { BAR_INTERVALS, type Bar, type BarInterval } from '../../model/bar.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';
import { localMidnightOf, type LeanFileInfo } from '../../sources/replay/lean/lean-file.ts';
import { LEAN_EQUITY_PRICE_SCALE } from '../../sources/replay/lean/lean-records.ts';
import { zonedTimeToUtc } from '../../time-zone.ts';
import { numericFields, ohlcProblem } from './bar-prices.ts';

export type LeanBarParser<T> = (line: string) => T | string;

type QuoteBarFields = [number, number, number, number, number, number, number, number, number, number, number];
const MS_PER_DAY = 86_400_000;

/**
 * Lean's second or minute trade bars `start_ms,open,high,low,close,volume` (ms since the file's
 * local midnight; equity prices in deci-cents) as Bars: `start` = that instant, `end` = start + the
 * interval, `tsEvent` = `tsRecv` = `end`. Lean records neither VWAP nor trade count: `vwap` null, `count` 0.
 */
export function leanTradeBarParser(info: LeanFileInfo, interval: BarInterval): LeanBarParser<Bar> {
  const { symbol, scale, width, startOf } = barFrame(info, interval);
  return (line) => {
    const fields = numericFields(line, 6);
    if (!fields) return 'expected 6 numbers (ms,open,high,low,close,volume)';
    const [ms, open, high, low, close, volume] = fields as [number, number, number, number, number, number];
    const start = startOf(ms);
    if (typeof start === 'string') return start;
    const problem = ohlcProblem(open, high, low, close) ?? (volume >= 0 ? null : 'volume must be ≥ 0');
    if (problem) return problem;
    const end = start + width;
    return { type: 'bar', symbol, interval, start, end, open: open / scale, high: high / scale, low: low / scale, close: close / scale, volume, vwap: null, count: 0, tsEvent: end, tsRecv: end };
  };
}

/**
 * Lean's second or minute quote bars `start_ms,bid_o,bid_h,bid_l,bid_c,last_bid_size,ask_o,ask_h,
 * ask_l,ask_c,last_ask_size` as QuoteBars, times as for trade bars. A last size of 0 (Lean's "none
 * seen") becomes `null`. Lean records no quote count, but writes a bar only for a period with quotes: `count` 1.
 */
export function leanQuoteBarParser(info: LeanFileInfo, interval: BarInterval): LeanBarParser<QuoteBar> {
  const { symbol, scale, width, startOf } = barFrame(info, interval);
  return (line) => {
    const fields = numericFields(line, 11);
    if (!fields) return 'expected 11 numbers (ms, bid open/high/low/close/last size, ask open/high/low/close/last size)';
    const [ms, bidOpen, bidHigh, bidLow, bidClose, bidSize, askOpen, askHigh, askLow, askClose, askSize] = fields as QuoteBarFields;
    const start = startOf(ms);
    if (typeof start === 'string') return start;
    const problem = ohlcProblem(bidOpen, bidHigh, bidLow, bidClose) ?? ohlcProblem(askOpen, askHigh, askLow, askClose);
    if (problem) return problem;
    const end = start + width;
    return {
      type: 'quote-bar',
      symbol,
      interval,
      start,
      end,
      bid: { open: bidOpen / scale, high: bidHigh / scale, low: bidLow / scale, close: bidClose / scale },
      ask: { open: askOpen / scale, high: askHigh / scale, low: askLow / scale, close: askClose / scale },
      lastBidSize: bidSize > 0 ? bidSize : null,
      lastAskSize: askSize > 0 ? askSize : null,
      count: 1,
      tsEvent: end,
      tsRecv: end,
    };
  };
}

/** What every bar of a file shares: its symbol, its price scale (equities in deci-cents), its width, and how a line's ms since midnight become its start. */
function barFrame(info: LeanFileInfo, interval: BarInterval): { symbol: string; scale: number; width: number; startOf: (ms: number) => number | string } {
  const midnight = localMidnightOf(info);
  const { timeZone } = info;
  return {
    symbol: info.symbol,
    scale: info.assetClass === 'equity' ? LEAN_EQUITY_PRICE_SCALE : 1,
    width: BAR_INTERVALS[interval],
    startOf: (ms) => (Number.isInteger(ms) && ms >= 0 && ms < MS_PER_DAY ? zonedTimeToUtc(timeZone, midnight + ms) : `time ${ms} is not ms since midnight`),
  };
}
