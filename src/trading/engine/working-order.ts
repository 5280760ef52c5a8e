import type { FillInput } from '../../model/fill.ts';
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../model/order.ts';
import type { MatchState } from '../fills/match-state.ts';
import type { AuctionKind } from '../fills/print-classifier.ts';

/** An `opg` or `cls` order's wait for its auction. */
export interface AuctionWait {
  readonly kind: AuctionKind;
  /** The open (close) it trades at. */
  readonly at: number;
  /** Until when an auction print is waited for. */
  readonly graceEnd: number;
  /** The first regular print after the open (the last before the close), taken if no auction print comes. */
  candidate: FillInput | null;
  /** `opg` only: the grace passed with no auction print nor candidate: the next regular print fills it. */
  fallback: boolean;
}

/**
 * An order the engine works on (fixed-point amounts), from acceptance until it is final; then it
 * leaves the engine as an `Order` record. Mutable: owned by its account's book.
 */
export interface WorkingOrder {
  readonly id: string;
  /** Per account, in acceptance order: its priority against the account's other orders. */
  readonly seq: number;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly assetClass: string;
  readonly market: string;
  readonly fractionable: boolean;
  readonly shortable: boolean;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly extendedHours: boolean;
  readonly qty: bigint | null;
  readonly notional: bigint | null;
  readonly limit: bigint | null;
  readonly stop: bigint | null;
  readonly trailPrice: bigint | null;
  readonly trailPercent: bigint | null;
  readonly createdAt: number;
  /** It may fill only against prints strictly after this instant. */
  readonly activatesAt: number;
  readonly expiresAt: number | null;
  readonly replaces: string | null;
  updatedAt: number;
  status: OrderStatus;
  filledQty: bigint;
  /** Σ qty × price of its fills, as booked. */
  filledValue: bigint;
  commissionPaid: bigint;
  fills: number;
  filledAt: number | null;
  match: MatchState;
  auction: AuctionWait | null;
  /** Set when it leaves the engine. */
  closedAt: number | null;
  replacedBy: string | null;
  reason: string | null;
}

export const isActive = (order: WorkingOrder): boolean => order.status === 'new' || order.status === 'partially_filled';

/** Shares (units) still to fill; for notional orders `null` (see `remainingNotional`). */
export function remainingQty(order: WorkingOrder): bigint | null {
  return order.qty === null ? null : order.qty - order.filledQty;
}

export function remainingNotional(order: WorkingOrder): bigint {
  return order.notional === null ? 0n : order.notional - order.filledValue;
}
