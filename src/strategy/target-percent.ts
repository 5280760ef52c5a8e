import type { Instrument } from '../trading/engine/instrument.ts';
import { targetDelta } from './order-input.ts';
import type { OrderOptions, OrderResult, StrategyContext } from './strategy-api.ts';

/** What `targetPercent` reads of a context, synchronously, and the one command it gives. */
export type TargetView = Pick<StrategyContext, 'account' | 'position' | 'openOrders' | 'price' | 'order'>;

/**
 * `ctx.targetPercent` for any context: the order that moves the position to `percent` of equity at
 * the last price, counting what open orders of the symbol would add and holding buying power at the
 * price plus `marketReserveBps` (as the engine does for market orders); `null` when there is nothing to do.
 */
export function targetPercentOrder(view: TargetView, instrument: Instrument | null, symbol: string, percent: number, options: OrderOptions, marketReserveBps: number): Promise<OrderResult | null> {
  const price = view.price(symbol);
  if (price === null || !instrument) return Promise.resolve({ ok: false, code: 'invalid', message: price === null ? `no price for ${symbol} yet` : `unknown symbol ${symbol}` });
  const pending = view.openOrders(symbol).reduce((sum, order) => sum + (order.qty === null ? 0 : (order.side === 'buy' ? 1 : -1) * (Number(order.qty) - Number(order.filled_qty))), 0);
  const reserve = price * (1 + marketReserveBps / 10_000);
  const qty = targetDelta({
    percent,
    equity: view.account.equity,
    price,
    heldAndPending: (view.position(symbol)?.qty ?? 0) + pending,
    affordable: view.account.buyingPower / reserve,
    fractionable: instrument.fractionable,
  });
  if (qty === 0) return Promise.resolve(null);
  return view.order({ ...options, symbol, side: qty > 0 ? 'buy' : 'sell', qty: Math.abs(qty) });
}
