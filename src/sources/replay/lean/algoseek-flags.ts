import type { Trade } from '../../../model/trade.ts';

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

/** The AlgoSeek flags of a Lean equity trade (first condition, hex); `null` when it has none. */
export function algoSeekFlags(trade: Pick<Trade, 'conditions'>): number | null {
  const code = trade.conditions?.[0];
  return code === undefined ? null : parseAlgoSeekCode(code);
}

/** A day of trades carries a few dozen distinct codes; each is parsed once (bounded, for hostile input). */
const parsedCodes = new Map<string, number | null>();
const MAX_CODES_KEPT = 4_096;

/** The flags of an AlgoSeek sale-condition code as Lean writes it (hex, `20000020`); `null` if it is not one. */
export function parseAlgoSeekCode(code: string): number | null {
  let flags = parsedCodes.get(code);
  if (flags === undefined) {
    flags = /^[0-9a-f]{1,8}$/i.test(code) ? Number.parseInt(code, 16) : null;
    if (parsedCodes.size < MAX_CODES_KEPT) parsedCodes.set(code, flags);
  }
  return flags;
}
