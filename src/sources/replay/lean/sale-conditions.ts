import type { TradeEligibility } from '../../../model/trade-eligibility.ts';
import type { Trade } from '../../../model/trade.ts';
import { localTimeOfDayMs } from '../../../time-zone.ts';
import { SUSPICIOUS_CONDITION } from './lean-records.ts';

/**
 * AlgoSeek's sale-condition bits, as Lean decodes the hex code in its equity tick files
 * (QuantConnect/Lean `Common/Data/Auxiliary/TradeConditionFlags.cs`): `20000020` = trade-through
 * exempt | intermarket sweep.
 */
export const ALGOSEEK_CONDITION = {
  REGULAR: 1 << 0,
  CASH: 1 << 1,
  NEXT_DAY: 1 << 2,
  SELLER: 1 << 3,
  YELLOW_FLAG: 1 << 4,
  INTERMARKET_SWEEP: 1 << 5,
  OPENING_PRINTS: 1 << 6,
  CLOSING_PRINTS: 1 << 7,
  REOPENING_PRINTS: 1 << 8,
  DERIVATIVELY_PRICED: 1 << 9,
  FORM_T: 1 << 10,
  SOLD: 1 << 11,
  STOPPED: 1 << 12,
  EXTENDED_HOURS: 1 << 13,
  OUT_OF_SEQUENCE: 1 << 14,
  SPLIT: 1 << 15,
  ACQUISITION: 1 << 16,
  BUNCHED: 1 << 17,
  STOCK_OPTION: 1 << 18,
  DISTRIBUTION: 1 << 19,
  AVERAGE_PRICE: 1 << 20,
  CROSS: 1 << 21,
  PRICE_VARIATION: 1 << 22,
  RULE_155: 1 << 23,
  OFFICIAL_CLOSE: 1 << 24,
  PRIOR_REFERENCE_PRICE: 1 << 25,
  OFFICIAL_OPEN: 1 << 26,
  CAP_ELECTION: 1 << 27,
  AUTO_EXECUTION: 1 << 28,
  TRADE_THROUGH_EXEMPT: 1 << 29,
} as const;

const C = ALGOSEEK_CONDITION;
/** Never part of a bar: the closing auction's report and the official close restate trades. */
const EXCLUDED = C.CLOSING_PRINTS | C.OFFICIAL_CLOSE;
/** In the regular session these count as volume but do not set open/high/low/close. */
const VOLUME_ONLY_IN_SESSION = C.INTERMARKET_SWEEP | C.AVERAGE_PRICE | C.DERIVATIVELY_PRICED | C.SELLER;

const NEW_YORK = 'America/New_York';
const SESSION_OPEN_MS = (9 * 60 + 30) * 60_000;
const SESSION_CLOSE_MS = 16 * 60 * 60_000;

/** The AlgoSeek flags of a Lean equity trade (first condition, hex); `null` when it has none. */
export function algoSeekFlags(trade: Pick<Trade, 'conditions'>): number | null {
  const code = trade.conditions?.[0];
  if (code === undefined || !/^[0-9a-f]{1,8}$/i.test(code)) return null;
  return Number.parseInt(code, 16);
}

/**
 * Which Lean (AlgoSeek) US-equity trades build Lean-like trade bars. Measured against Lean's own
 * bars for SPY on 2013-10-07 (test/processors/bars/lean-reference.test.ts), not taken from Lean's
 * code, which does not ship its bar-building filter:
 * - closing prints and the official close never count (not even their volume);
 * - from 09:30 to 16:00 New York time, intermarket sweeps, average-price, derivatively priced and
 *   seller's-option prints count as volume only;
 * - everything else, and every print outside the regular session, counts fully;
 * - ticks Lean flagged suspicious are ignored.
 * Trades without an AlgoSeek code count fully.
 */
export function leanEquityEligibility(trade: Trade): TradeEligibility {
  if (trade.conditions?.includes(SUSPICIOUS_CONDITION)) return 'none';
  const flags = algoSeekFlags(trade);
  if (flags === null) return 'full';
  if (flags & EXCLUDED) return 'none';
  if (flags & VOLUME_ONLY_IN_SESSION) {
    const time = localTimeOfDayMs(NEW_YORK, trade.tsEvent);
    if (time >= SESSION_OPEN_MS && time < SESSION_CLOSE_MS) return 'volume';
  }
  return 'full';
}
