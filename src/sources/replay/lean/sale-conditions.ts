import { OPENING_AUCTION, type TradeEligibility } from '../../../model/trade-eligibility.ts';
import type { Trade } from '../../../model/trade.ts';
import { localTimeOfDayMs, timeZoneOffsetMs, zonedTimeToUtc } from '../../../time-zone.ts';
import { ALGOSEEK_CONDITION, algoSeekFlags } from './algoseek-flags.ts';
import { AUCTION_REPORT, CLOSING_AUCTION_CONDITION, OPENING_AUCTION_CONDITION } from './auction-prints.ts';
import { SUSPICIOUS_CONDITION } from './lean-records.ts';

const C = ALGOSEEK_CONDITION;
/** In the regular session these count as volume but do not set open/high/low/close. */
const VOLUME_ONLY_IN_SESSION = C.INTERMARKET_SWEEP | C.AVERAGE_PRICE | C.DERIVATIVELY_PRICED | C.SELLER;

const NEW_YORK = 'America/New_York';
const DAY_MS = 86_400_000;
const SESSION_OPEN_MS = (9 * 60 + 30) * 60_000;
const SESSION_CLOSE_MS = 16 * 60 * 60_000;

/**
 * Which Lean (AlgoSeek) US-equity trades build Lean-like trade bars. Measured against Lean's own
 * bars for SPY on 2013-10-07, every one of its 828 minute and 16,675 second bars
 * (test/processors/bars/lean-reference.test.ts), not taken from Lean's code, which does not ship its
 * bar-building filter:
 * - the auctions: the print the listing exchange reports each auction with (marked by the replay,
 *   see `auctionPrintMarker`) is the open of its bar (opening) or the close of the session's last
 *   bar (closing); every other auction report (the auction's further prints, the official open and
 *   close, other exchanges' opening crosses) never counts, not even its volume;
 * - from 09:30 to 16:00 New York time, intermarket sweeps, average-price, derivatively priced and
 *   seller's-option prints count as volume only;
 * - everything else counts fully: every print outside the regular session, and extended-hours
 *   (Form T) prints reported in it, such as trades made before the opening auction;
 * - ticks Lean flagged suspicious are ignored.
 * Trades without an AlgoSeek code count fully.
 */
export function leanEquityEligibility(trade: Trade): TradeEligibility {
  const conditions = trade.conditions;
  if (conditions?.includes(SUSPICIOUS_CONDITION)) return 'none';
  const flags = algoSeekFlags(trade);
  if (flags === null) return 'full';
  if (flags & AUCTION_REPORT) {
    if (conditions!.includes(OPENING_AUCTION_CONDITION)) return OPENING_AUCTION;
    if (conditions!.includes(CLOSING_AUCTION_CONDITION)) return { auction: 'closing', sessionEnd: sessionCloseOn(trade.tsEvent) };
    return 'none';
  }
  if (flags & VOLUME_ONLY_IN_SESSION) {
    const time = localTimeOfDayMs(NEW_YORK, trade.tsEvent);
    if (time >= SESSION_OPEN_MS && time < SESSION_CLOSE_MS) return 'volume';
  }
  return 'full';
}

/** 16:00 New York time on the New York day of `utcMs`. */
function sessionCloseOn(utcMs: number): number {
  const localMs = utcMs + timeZoneOffsetMs(NEW_YORK, utcMs);
  return zonedTimeToUtc(NEW_YORK, Math.floor(localMs / DAY_MS) * DAY_MS + SESSION_CLOSE_MS);
}
