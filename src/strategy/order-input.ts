import { fixedFromNumber, formatFixed } from '../model/fixed-point.ts';
import type { Order, OrderRequest } from '../model/order.ts';
import type { CommandResult } from '../trading/engine/command-result.ts';
import type { OrderInput, OrderResult } from './strategy-api.ts';

/**
 * A strategy's order in the engine's form (decimal strings), or why it is malformed. The engine
 * checks the rest (types against prices, time in force, buying power) and rejects with its reason.
 */
export function orderRequestOf(input: OrderInput, defaultTimeInForce: 'day' | 'gtc'): OrderRequest | string {
  if (typeof input !== 'object' || input === null) return 'an order must be an object';
  const numbers = { qty: input.qty, notional: input.notional, limitPrice: input.limitPrice, stopPrice: input.stopPrice, trailPrice: input.trailPrice, trailPercent: input.trailPercent };
  for (const [field, value] of Object.entries(numbers)) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) return `${field} must be a finite number, got ${String(value)}`;
  }
  const type = input.type ?? (input.limitPrice !== undefined ? (input.stopPrice !== undefined ? 'stop_limit' : 'limit') : input.stopPrice !== undefined ? 'stop' : 'market');
  return {
    type: 'order-request',
    symbol: input.symbol,
    qty: decimalOrNull(input.qty),
    notional: decimalOrNull(input.notional),
    side: input.side,
    order_type: type,
    time_in_force: input.timeInForce ?? defaultTimeInForce,
    limit_price: decimalOrNull(input.limitPrice),
    stop_price: decimalOrNull(input.stopPrice),
    trail_price: decimalOrNull(input.trailPrice),
    trail_percent: decimalOrNull(input.trailPercent),
    extended_hours: input.extendedHours ?? false,
    client_order_id: input.clientOrderId ?? null,
  };
}

/** An order's time in force when the strategy gives none: `gtc` where the market never closes (crypto takes no `day`). */
export function defaultTimeInForce(market: string | undefined): 'day' | 'gtc' {
  return market === 'crypto' ? 'gtc' : 'day';
}

/** The engine's (or the gateway's) answer to a command, as a strategy sees it. */
export function orderResultOf(result: CommandResult<Order>): OrderResult {
  return result.ok ? { ok: true, order: result.value } : { ok: false, code: result.code, message: result.message };
}

function decimalOrNull(value: number | undefined): string | null {
  return value === undefined ? null : formatFixed(fixedFromNumber(value));
}
