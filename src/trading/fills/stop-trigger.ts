import { divRound } from '../../model/fixed-point.ts';
import type { OrderSide } from '../../model/order.ts';

/** A buy stop triggers on a print at or above its stop, a sell stop at or below (Alpaca's rule). */
export function stopTriggered(side: OrderSide, stop: bigint, price: bigint): boolean {
  return side === 'buy' ? price >= stop : price <= stop;
}

/**
 * The high-water mark of a trailing stop: for a sell the highest price since activation, for a buy
 * (covering a short) the lowest.
 */
export function nextHwm(side: OrderSide, hwm: bigint | null, price: bigint): bigint {
  if (hwm === null) return price;
  return side === 'sell' ? (price > hwm ? price : hwm) : price < hwm ? price : hwm;
}

const HUNDRED = 100n * 1_000_000_000n;

/** The stop a trailing order stands at: `trail` (price) or `trailPercent` % away from the high-water mark. */
export function trailingStop(side: OrderSide, hwm: bigint, trail: { readonly price: bigint | null; readonly percent: bigint | null }): bigint {
  const distance = trail.price ?? divRound(hwm * trail.percent!, HUNDRED, 'half-even');
  return side === 'sell' ? hwm - distance : hwm + distance;
}
