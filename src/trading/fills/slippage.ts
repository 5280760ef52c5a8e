import { divRound } from '../../model/fixed-point.ts';
import type { OrderSide } from '../../model/order.ts';

const BPS = 10_000n;

/**
 * A market fill's price: the print's price moved against the trader by `bps` basis points (a buy pays
 * more, a sell gets less), rounded against the trader. It stands for the half spread and the impact of
 * taking liquidity, which a trade print alone does not show. `bps` is in fixed point (5 bps = 5n × 10⁹).
 */
export function slip(side: OrderSide, price: bigint, bpsFixed: bigint): bigint {
  const factor = side === 'buy' ? BPS * 1_000_000_000n + bpsFixed : BPS * 1_000_000_000n - bpsFixed;
  return divRound(price * factor, BPS * 1_000_000_000n, side === 'buy' ? 'ceil' : 'floor');
}
