import type { OrderSide } from '../../model/order.ts';

/**
 * Where a print stands against a limit: `through` (strictly better for the other side: below a buy
 * limit, above a sell limit), `at` the limit, or `away` from it.
 */
export type LimitCross = 'through' | 'at' | 'away';

export function limitCross(side: OrderSide, limit: bigint, price: bigint): LimitCross {
  if (price === limit) return 'at';
  const through = side === 'buy' ? price < limit : price > limit;
  return through ? 'through' : 'away';
}

/** Whether a limit order could take liquidity at `price` (the last print) rather than rest. */
export function marketable(side: OrderSide, limit: bigint, price: bigint | null): boolean {
  return price !== null && limitCross(side, limit, price) !== 'away';
}
