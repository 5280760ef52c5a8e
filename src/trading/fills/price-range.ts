import type { OrderSide } from '../../model/order.ts';

/** The lowest and highest price an order could have traded at since it became active. */
export interface PriceRange {
  readonly low: bigint;
  readonly high: bigint;
}

export function widen(range: PriceRange | null, price: bigint): PriceRange {
  if (range === null) return { low: price, high: price };
  if (price >= range.low && price <= range.high) return range;
  return { low: price < range.low ? price : range.low, high: price > range.high ? price : range.high };
}

/**
 * Holds a fill price to the tape: a buy never pays more than the highest price printed since the
 * order became active, a sell never receives less than the lowest. Slippage and limit prices are
 * models; a price nobody traded at since activation is not a fill anyone could have had (the complaint
 * against Alpaca's paper fills: limit fills above the minute's high). Every price the fill model asks
 * for is at least as bad for the trader as the print it fills on, and the print is in the range, so the
 * held price stays between the print and the model's price.
 */
export function holdToRange(side: OrderSide, price: bigint, range: PriceRange): bigint {
  if (side === 'buy') return price > range.high ? range.high : price;
  return price < range.low ? range.low : price;
}
