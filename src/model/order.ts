import { decimalProblem } from './fixed-point.ts';
import { isFiniteNumber, isNonEmptyString, SYMBOL_PATTERN } from './guards.ts';

/**
 * Orders in the shape of Alpaca's Trading API v2 (field names as Alpaca spells them, so the API maps
 * them one to one), with two differences: the record tag is `type` as on every tickflow record, so
 * the order's type is `order_type` (Alpaca's own synonym for it); times are Unix ms here and
 * RFC 3339 only at the API. Quantities and prices are decimal strings (see fixed-point.ts).
 */
export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIMES_IN_FORCE = ['day', 'gtc', 'ioc', 'fok', 'opg', 'cls'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** Alpaca's statuses; the engine uses the first nine. */
export const ORDER_STATUSES = [
  'pending_new', 'accepted', 'new', 'partially_filled', 'filled', 'canceled', 'expired', 'replaced', 'rejected',
  'done_for_day', 'pending_cancel', 'pending_replace', 'accepted_for_bidding', 'stopped', 'suspended', 'calculated', 'held',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which an order never changes again. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'expired', 'replaced', 'rejected']);

/** Alpaca's limit on `client_order_id`. */
export const CLIENT_ORDER_ID_MAX = 128;

/** What a client asks for (Alpaca's `POST /v2/orders` body, already read into exact fields). */
export interface OrderRequest {
  readonly type: 'order-request';
  readonly symbol: string;
  /** Exactly one of `qty` and `notional` is set. */
  readonly qty: string | null;
  /** Dollars to trade; market orders of fractionable instruments only. */
  readonly notional: string | null;
  readonly side: OrderSide;
  readonly order_type: OrderType;
  readonly time_in_force: TimeInForce;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  /** Trailing stops: exactly one of these two. */
  readonly trail_price: string | null;
  readonly trail_percent: string | null;
  /** Limit day orders only: may fill in the pre- and post-market sessions. */
  readonly extended_hours: boolean;
  /** Unique per account; generated when absent. */
  readonly client_order_id: string | null;
}

/** Alpaca's `PATCH /v2/orders/{id}` body: `null` leaves a field as it was. */
export interface OrderReplace {
  readonly type: 'order-replace';
  readonly qty: string | null;
  readonly time_in_force: TimeInForce | null;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  /** The new trail, in the unit the order trails by (price or percent). */
  readonly trail: string | null;
  readonly client_order_id: string | null;
}

export interface Order {
  readonly type: 'order';
  readonly id: string;
  readonly client_order_id: string;
  readonly account_id: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly submitted_at: number;
  readonly filled_at: number | null;
  readonly expired_at: number | null;
  readonly canceled_at: number | null;
  readonly failed_at: number | null;
  readonly replaced_at: number | null;
  /** When a `day` (or `opg`/`cls`) order expires if still open; `null` for none. */
  readonly expires_at: number | null;
  readonly replaced_by: string | null;
  readonly replaces: string | null;
  readonly asset_class: string;
  readonly symbol: string;
  readonly qty: string | null;
  readonly notional: string | null;
  readonly filled_qty: string;
  readonly filled_avg_price: string | null;
  readonly order_type: OrderType;
  readonly side: OrderSide;
  readonly time_in_force: TimeInForce;
  readonly limit_price: string | null;
  /** For a trailing stop: the stop as it stands now (from `hwm`). */
  readonly stop_price: string | null;
  readonly trail_price: string | null;
  readonly trail_percent: string | null;
  /** Trailing stops: the best price since activation (highest for a sell, lowest for a buy). */
  readonly hwm: string | null;
  readonly extended_hours: boolean;
  readonly status: OrderStatus;
  /** tickflow's addition: why it was canceled, expired or rejected, in words. */
  readonly reason: string | null;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
const present = (value: unknown): boolean => value !== null && value !== undefined;
const optionalDecimal = (field: string, value: unknown): string | undefined => (value === null ? undefined : decimalProblem(field, value, { positive: true }));

/**
 * Checks an order request on its own (what needs no account, instrument or clock): the fields each
 * type and time in force require or forbid, as Alpaca enforces them. Returns it, or why not.
 */
export function validateOrderRequest(value: unknown): OrderRequest | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'order-request') return `unknown record type ${JSON.stringify(r.type)}`;
  if (typeof r.symbol !== 'string' || !SYMBOL_PATTERN.test(r.symbol)) return `symbol must be 1 to 40 letters, digits or . : _ - / ^ = (got ${JSON.stringify(r.symbol)})`;
  if (!oneOf(ORDER_SIDES, r.side)) return `side must be one of ${ORDER_SIDES.join(', ')}`;
  if (!oneOf(ORDER_TYPES, r.order_type)) return `type must be one of ${ORDER_TYPES.join(', ')}`;
  if (!oneOf(TIMES_IN_FORCE, r.time_in_force)) return `time_in_force must be one of ${TIMES_IN_FORCE.join(', ')}`;
  if (typeof r.extended_hours !== 'boolean') return 'extended_hours must be a boolean';
  if (r.client_order_id !== null && (!isNonEmptyString(r.client_order_id) || r.client_order_id.length > CLIENT_ORDER_ID_MAX)) {
    return `client_order_id must be null or 1 to ${CLIENT_ORDER_ID_MAX} characters`;
  }
  if (present(r.qty) === present(r.notional)) return 'exactly one of qty and notional is required';
  const problem =
    optionalDecimal('qty', r.qty) ??
    optionalDecimal('notional', r.notional) ??
    optionalDecimal('limit_price', r.limit_price) ??
    optionalDecimal('stop_price', r.stop_price) ??
    optionalDecimal('trail_price', r.trail_price) ??
    optionalDecimal('trail_percent', r.trail_percent);
  if (problem) return problem;
  return fieldsProblem(r as unknown as OrderRequest) ?? (value as OrderRequest);
}

function fieldsProblem(r: OrderRequest): string | undefined {
  const type = r.order_type;
  const needsLimit = type === 'limit' || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  if (needsLimit && r.limit_price === null) return `limit_price is required for ${type} orders`;
  if (!needsLimit && r.limit_price !== null) return `limit_price is not allowed for ${type} orders`;
  if (needsStop && r.stop_price === null) return `stop_price is required for ${type} orders`;
  if (!needsStop && r.stop_price !== null) return `stop_price is not allowed for ${type} orders`;
  if (type === 'trailing_stop' && (r.trail_price === null) === (r.trail_percent === null)) return 'trailing_stop orders need exactly one of trail_price and trail_percent';
  if (type !== 'trailing_stop' && (r.trail_price !== null || r.trail_percent !== null)) return `trail_price and trail_percent are not allowed for ${type} orders`;
  if (r.trail_percent !== null && Number(r.trail_percent) >= 100) return 'trail_percent must be below 100';
  if (r.notional !== null && (type !== 'market' || !['day', 'gtc', 'ioc'].includes(r.time_in_force))) return 'notional orders must be market orders with time_in_force day (gtc or ioc for crypto)';
  if (r.extended_hours && (type !== 'limit' || r.time_in_force !== 'day')) return 'extended_hours orders must be limit orders with time_in_force day';
  const tif = r.time_in_force;
  if ((tif === 'ioc' || tif === 'fok' || tif === 'opg' || tif === 'cls') && type !== 'market' && type !== 'limit') {
    return `time_in_force ${tif} is only for market and limit orders`;
  }
  return undefined;
}

/** Checks a replace request on its own. Returns it, or why not. */
export function validateOrderReplace(value: unknown): OrderReplace | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'order-replace') return `unknown record type ${JSON.stringify(r.type)}`;
  if (r.time_in_force !== null && !oneOf(TIMES_IN_FORCE, r.time_in_force)) return `time_in_force must be one of ${TIMES_IN_FORCE.join(', ')}`;
  if (r.client_order_id !== null && (!isNonEmptyString(r.client_order_id) || r.client_order_id.length > CLIENT_ORDER_ID_MAX)) {
    return `client_order_id must be null or 1 to ${CLIENT_ORDER_ID_MAX} characters`;
  }
  const problem = optionalDecimal('qty', r.qty) ?? optionalDecimal('limit_price', r.limit_price) ?? optionalDecimal('stop_price', r.stop_price) ?? optionalDecimal('trail', r.trail);
  if (problem) return problem;
  if (r.qty === null && r.time_in_force === null && r.limit_price === null && r.stop_price === null && r.trail === null && r.client_order_id === null) {
    return 'nothing to replace: give at least one of qty, time_in_force, limit_price, stop_price, trail, client_order_id';
  }
  return value as OrderReplace;
}

const NULLABLE_TIMES = ['filled_at', 'expired_at', 'canceled_at', 'failed_at', 'replaced_at', 'expires_at'] as const;

/** Checks an order read from the bus (the `executions` topic) before it is trusted. Returns it, or why not. */
export function validateOrder(value: unknown): Order | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'order') return `unknown record type ${JSON.stringify(r.type)}`;
  for (const field of ['id', 'client_order_id', 'account_id', 'symbol', 'asset_class'] as const) if (!isNonEmptyString(r[field])) return `${field} missing`;
  for (const field of ['created_at', 'updated_at', 'submitted_at'] as const) if (!isFiniteNumber(r[field])) return `${field} must be a number`;
  for (const field of NULLABLE_TIMES) if (r[field] !== null && !isFiniteNumber(r[field])) return `${field} must be null or a number`;
  if (!oneOf(ORDER_SIDES, r.side) || !oneOf(ORDER_TYPES, r.order_type) || !oneOf(TIMES_IN_FORCE, r.time_in_force)) return 'side, order_type or time_in_force unknown';
  if (!oneOf(ORDER_STATUSES, r.status)) return `status must be one of Alpaca's order statuses (got ${JSON.stringify(r.status)})`;
  const problem =
    decimalProblem('filled_qty', r.filled_qty, { nonNegative: true }) ??
    optionalDecimal('qty', r.qty) ??
    optionalDecimal('notional', r.notional) ??
    optionalDecimal('filled_avg_price', r.filled_avg_price) ??
    optionalDecimal('limit_price', r.limit_price) ??
    optionalDecimal('stop_price', r.stop_price) ??
    optionalDecimal('trail_price', r.trail_price) ??
    optionalDecimal('trail_percent', r.trail_percent) ??
    optionalDecimal('hwm', r.hwm);
  if (problem) return problem;
  if (typeof r.extended_hours !== 'boolean') return 'extended_hours must be a boolean';
  for (const field of ['replaced_by', 'replaces', 'reason'] as const) if (r[field] !== null && typeof r[field] !== 'string') return `${field} must be null or a string`;
  return value as Order;
}
