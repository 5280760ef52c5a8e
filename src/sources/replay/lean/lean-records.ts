import type { Quote } from '../../../model/quote.ts';
import type { Trade } from '../../../model/trade.ts';
import { zonedTimeToUtc } from '../../../time-zone.ts';
import { auctionPrintMarker } from './auction-prints.ts';
import { localMidnightOf, type LeanFileInfo } from './lean-file.ts';

/** Lean stores equity prices as integers in deci-cents (price × 10 000). */
export const LEAN_EQUITY_PRICE_SCALE = 10_000;

/** Condition added to a trade Lean flagged suspicious (its bars leave such ticks out). */
export const SUSPICIOUS_CONDITION = 'suspicious';

const MAX_MS_OF_DAY = 86_400_000;

export type LeanLineParser = (line: string, lineNumber: number) => Trade | Quote | string;

/**
 * Maps the lines of a Lean tick file to trades or quotes:
 * - US equity trades `ms_since_midnight,price_decicents,size,exchange,sale_condition,suspicious`, with
 *   times in the file's zone (America/New_York) on its date; `conditions` = [AlgoSeek sale-condition
 *   code as written, e.g. `20000020`] (+ `suspicious` when flagged, + `opening-auction` or
 *   `closing-auction` on the print that reports the listing exchange's auction: `auctionPrintMarker`);
 * - forex quote ticks `ms_since_midnight,bid,ask` (UTC): quotes, bid and ask as written, sizes
 *   `null` (OANDA's ticks carry none).
 * `seq` = YYYYMMDD × 10⁸ + line number: the same file always yields the same ids, and files of
 * different days never overlap. `tsRecv` = `tsEvent`: recorded data has no receive time, and using
 * the event time keeps everything computed from a replay deterministic.
 */
export function leanLineParser(info: LeanFileInfo, source = 'lean'): LeanLineParser {
  const localMidnight = localMidnightOf(info);
  const seqBase = Number(info.date) * 1e8;
  const toUtc = (msOfDay: number): number => zonedTimeToUtc(info.timeZone, localMidnight + msOfDay);

  if (info.assetClass === 'forex') {
    return (line, lineNumber) => {
      const fields = line.split(',');
      if (fields.length !== 3) return `expected 3 fields (ms,bid,ask), got ${fields.length}`;
      const ms = msOfDay(fields[0]!);
      if (typeof ms === 'string') return ms;
      const bid = Number(fields[1]);
      const ask = Number(fields[2]);
      if (!(bid > 0) || !(ask > 0) || !Number.isFinite(bid) || !Number.isFinite(ask)) return 'bid and ask must be positive numbers';
      const tsEvent = toUtc(ms);
      return { type: 'quote', source, symbol: info.symbol, bid, ask, bidSize: null, askSize: null, tsEvent, tsRecv: tsEvent, seq: seqBase + lineNumber };
    };
  }

  // A parser reads one file from its first line: the first auction prints it sees are the day's.
  const markAuction = auctionPrintMarker(info.primaryExchange);
  return (line, lineNumber) => {
    const fields = line.split(',');
    if (fields.length !== 6) return `expected 6 fields (ms,price,size,exchange,condition,suspicious), got ${fields.length}`;
    const ms = msOfDay(fields[0]!);
    if (typeof ms === 'string') return ms;
    const price = Number(fields[1]);
    if (!Number.isInteger(price) || price <= 0) return `price ${JSON.stringify(fields[1])} is not a positive integer (deci-cents)`;
    const size = Number(fields[2]);
    if (!Number.isInteger(size) || size < 0) return `size ${JSON.stringify(fields[2])} is not an integer ≥ 0`;
    const condition = fields[4]!.trim();
    const conditions = condition === '' ? [] : [condition];
    if (fields[5]!.trim() === '1') conditions.push(SUSPICIOUS_CONDITION);
    else {
      const auction = markAuction(fields[3]!.trim(), condition);
      if (auction) conditions.push(auction);
    }
    const tsEvent = toUtc(ms);
    return {
      type: 'trade',
      source,
      symbol: info.symbol,
      price: price / LEAN_EQUITY_PRICE_SCALE,
      size,
      conditions,
      tsEvent,
      tsRecv: tsEvent,
      seq: seqBase + lineNumber,
    };
  };
}

function msOfDay(field: string): number | string {
  const ms = Number(field);
  if (field.trim() === '' || !Number.isInteger(ms) || ms < 0 || ms >= MAX_MS_OF_DAY) return `time ${JSON.stringify(field)} is not ms since midnight`;
  return ms;
}
