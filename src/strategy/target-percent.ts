import type { Instrument } from '../trading/engine/instrument.ts';
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

export interface TargetInput {
  readonly percent: number;
  readonly equity: number;
  readonly price: number;
  /** The position now (signed) plus what open orders of the symbol would add (signed). */
  readonly heldAndPending: number;
  /** What buying power covers, in shares at the price with the engine's reserve (≥ 0). */
  readonly affordable: number;
  readonly fractionable: boolean;
}

/**
 * The signed quantity that moves the position to `percent` of equity at `price`, rounded toward
 * zero (whole shares unless fractionable) and, when it adds exposure, cut to what buying power
 * covers (the engine would reject more); `0` when there is nothing to do.
 */
export function targetDelta(input: TargetInput): number {
  if (!(input.price > 0) || !Number.isFinite(input.percent)) return 0;
  const target = (input.equity * input.percent) / input.price;
  let delta = target - input.heldAndPending;
  const adding = Math.sign(delta) === Math.sign(target) && Math.abs(target) > Math.abs(input.heldAndPending);
  if (adding) {
    const reducing = Math.sign(input.heldAndPending) === Math.sign(delta) ? 0 : Math.abs(input.heldAndPending);
    const room = reducing + Math.max(0, input.affordable);
    if (Math.abs(delta) > room) delta = Math.sign(delta) * room;
  }
  const rounded = input.fractionable ? Math.trunc(delta * 1e6) / 1e6 : Math.trunc(delta);
  return Object.is(rounded, -0) ? 0 : rounded;
}
