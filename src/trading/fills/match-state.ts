import type { PriceRange } from './price-range.ts';

/**
 * What the fill model remembers of an open order between prints (owned by the engine, changed in
 * place by `matchPrint`, saved with the order).
 */
export interface MatchState {
  /** Stops: the stop was hit; the order now works as a market (stop, trailing) or limit (stop limit) order. */
  triggered: boolean;
  /** Trailing stops: the high-water mark; `null` until a price was seen. */
  hwm: bigint | null;
  /** Prices printed since activation that the order could have traded at. */
  range: PriceRange | null;
  /** Limit orders: the queue ahead estimated when the limit started working, and what has printed at the limit since. */
  queueAhead: bigint;
  printedAtLimit: bigint;
  /** Limit orders: it was not marketable when it started working, so it rests and adds liquidity. */
  maker: boolean;
}

export function freshMatchState(): MatchState {
  return { triggered: false, hwm: null, range: null, queueAhead: 0n, printedAtLimit: 0n, maker: false };
}
