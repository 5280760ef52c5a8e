import { divFixed, formatFixed } from '../../model/fixed-point.ts';
import type { Order } from '../../model/order.ts';
import { currentStop } from '../fills/match-print.ts';
import type { WorkingOrder } from './working-order.ts';

const decimal = (value: bigint | null): string | null => (value === null ? null : formatFixed(value));

/** The order as Alpaca shows it, at this moment. */
export function orderRecord(order: WorkingOrder): Order {
  const closed = order.closedAt;
  return {
    type: 'order',
    id: order.id,
    client_order_id: order.clientOrderId,
    account_id: order.accountId,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    submitted_at: order.createdAt,
    filled_at: order.status === 'filled' ? order.filledAt : null,
    expired_at: order.status === 'expired' ? closed : null,
    canceled_at: order.status === 'canceled' ? closed : null,
    failed_at: order.status === 'rejected' ? closed : null,
    replaced_at: order.status === 'replaced' ? closed : null,
    expires_at: order.expiresAt,
    replaced_by: order.replacedBy,
    replaces: order.replaces,
    asset_class: order.assetClass,
    symbol: order.symbol,
    qty: decimal(order.qty),
    notional: decimal(order.notional),
    filled_qty: formatFixed(order.filledQty),
    filled_avg_price: order.filledQty === 0n ? null : formatFixed(divFixed(order.filledValue, order.filledQty)),
    order_type: order.orderType,
    side: order.side,
    time_in_force: order.timeInForce,
    limit_price: decimal(order.limit),
    stop_price: decimal(currentStop(order, order.match)),
    trail_price: decimal(order.trailPrice),
    trail_percent: decimal(order.trailPercent),
    hwm: order.orderType === 'trailing_stop' ? decimal(order.match.hwm) : null,
    extended_hours: order.extendedHours,
    status: order.status,
    reason: order.reason,
  };
}
