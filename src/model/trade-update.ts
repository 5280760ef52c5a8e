import { validateFill, type Fill } from './fill.ts';
import { isFiniteNumber, isNonEmptyString } from './guards.ts';
import { validateOrder, type Order } from './order.ts';

/** The events of Alpaca's `trade_updates` stream that the engine emits. */
export const TRADE_UPDATE_EVENTS = ['pending_new', 'new', 'partial_fill', 'fill', 'canceled', 'expired', 'replaced', 'rejected'] as const;
export type TradeUpdateEvent = (typeof TRADE_UPDATE_EVENTS)[number];

/**
 * One event of an account's orders, as Alpaca streams it on `trade_updates`: the event, the order as it
 * stands after it, and for fills the fill (Alpaca's `price`, `qty`, `position_qty` and `execution_id`
 * are the fill's `price`, `qty`, `position_qty` and `id`).
 */
export interface TradeUpdate {
  readonly type: 'trade-update';
  readonly account_id: string;
  /**
   * 1, 2, 3, … per account: the order in which the engine emitted the account's events.
   * @asType integer
   * @minimum 1
   */
  readonly seq: number;
  readonly event: TradeUpdateEvent;
  /** Event time, Unix ms. */
  readonly timestamp: number;
  readonly order: Order;
  /** Set for `fill` and `partial_fill`, `null` otherwise. */
  readonly fill: Fill | null;
}

/** Checks a trade update read from the bus before it is trusted. Returns it, or why not. */
export function validateTradeUpdate(value: unknown): TradeUpdate | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'trade-update') return `unknown record type ${JSON.stringify(r.type)}`;
  if (!isNonEmptyString(r.account_id)) return 'account_id missing';
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return 'seq must be an integer ≥ 1';
  if (!(TRADE_UPDATE_EVENTS as readonly unknown[]).includes(r.event)) return `event must be one of ${TRADE_UPDATE_EVENTS.join(', ')}`;
  if (!isFiniteNumber(r.timestamp)) return 'timestamp must be a number';
  const order = validateOrder(r.order);
  if (typeof order === 'string') return `order: ${order}`;
  const isFill = r.event === 'fill' || r.event === 'partial_fill';
  if (!isFill) return r.fill === null ? (value as TradeUpdate) : `fill must be null for ${r.event as string}`;
  const fill = validateFill(r.fill);
  return typeof fill === 'string' ? `fill: ${fill}` : (value as TradeUpdate);
}
