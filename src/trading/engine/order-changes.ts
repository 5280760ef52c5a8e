import { divRound, FIXED_ONE, formatFixed, parseFixed } from '../../model/fixed-point.ts';
import type { OrderReplace, OrderRequest } from '../../model/order.ts';
import { floorToWhole } from '../fills/participation.ts';
import { remainingQty, type WorkingOrder } from './working-order.ts';

export interface ClosePositionOptions {
  /** Shares to close, or… */
  readonly qty?: string;
  /** …percent of the position (Alpaca's `percentage`). Default: all of it. */
  readonly percentage?: string;
}

/** The request a PATCH makes of an open order: what it had left (or `qty`), with the changes. */
export function replacement(old: WorkingOrder, patch: OrderReplace): OrderRequest {
  const decimal = (value: bigint | null) => (value === null ? null : formatFixed(value));
  const trailing = old.orderType === 'trailing_stop';
  return {
    type: 'order-request',
    symbol: old.symbol,
    qty: patch.qty ?? formatFixed(remainingQty(old)!),
    notional: null,
    side: old.side,
    order_type: old.orderType,
    time_in_force: patch.time_in_force ?? old.timeInForce,
    limit_price: patch.limit_price ?? decimal(old.limit),
    stop_price: patch.stop_price ?? decimal(old.stop),
    trail_price: trailing && old.trailPrice !== null ? (patch.trail ?? decimal(old.trailPrice)) : null,
    trail_percent: trailing && old.trailPercent !== null ? (patch.trail ?? decimal(old.trailPercent)) : null,
    extended_hours: old.extendedHours,
    client_order_id: patch.client_order_id,
  };
}

/** How much of a position `closePosition` sells (buys back), or why it cannot. */
export function closingQty(held: bigint, options: ClosePositionOptions, fractionable: boolean): bigint | string {
  if (options.qty !== undefined && options.percentage !== undefined) return 'give qty or percentage, not both';
  let qty = held;
  if (options.qty !== undefined) {
    const parsed = parseFixed(options.qty);
    if (parsed === null || parsed <= 0n || parsed > held) return `qty must be a decimal > 0 and ≤ the position (${formatFixed(held)})`;
    qty = parsed;
  } else if (options.percentage !== undefined) {
    const percent = parseFixed(options.percentage);
    if (percent === null || percent <= 0n || percent > 100n * FIXED_ONE) return 'percentage must be a decimal > 0 and ≤ 100';
    qty = divRound(held * percent, 100n * FIXED_ONE, 'floor');
    if (!fractionable) qty = floorToWhole(qty);
  }
  return qty > 0n ? qty : 'nothing to close: the quantity rounds to 0';
}
