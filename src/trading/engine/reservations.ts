import { divFixed, FIXED_ONE, maxFixed, mulFixed } from '../../model/fixed-point.ts';
import { fillFee } from '../fees/fill-fee.ts';
import type { Marks } from '../portfolio/valuation.ts';
import type { AccountBook } from './account-book.ts';
import { remainingNotional, remainingQty, type WorkingOrder } from './working-order.ts';

const BPS = 10_000n;

/**
 * The price an open order holds buying power at, per unit: its limit; for orders without one the last
 * price (a stop: the stop if higher; a trailing buy: the last price plus its trail) plus
 * `marketReserveBps`, because a market order may fill above the last print. `null` when the symbol has
 * not printed yet and the order has no price of its own.
 */
export function reservePrice(order: WorkingOrder, mark: bigint | null, marketReserveBps: number): bigint | null {
  if (order.orderType === 'limit' || order.orderType === 'stop_limit') return order.limit;
  let base: bigint | null = mark;
  if (order.orderType === 'stop') base = maxFixed(order.stop!, mark ?? order.stop!);
  if (order.orderType === 'trailing_stop' && mark !== null && order.side === 'buy') {
    base = mark + (order.trailPrice ?? mulFixed(mark, order.trailPercent! / 100n, 'ceil'));
  }
  if (base === null) return null;
  return mulFixed(base, FIXED_ONE + (BigInt(Math.round(marketReserveBps * 1_000)) * FIXED_ONE) / (BPS * 1_000n), 'ceil');
}

export interface ReservationScope {
  /** Leave this order out (the one being filled or replaced). */
  readonly exclude?: string;
  /** Count this one too (an order being admitted). */
  readonly extra?: WorkingOrder;
}

/**
 * Buying power held by an account's open orders: for each order the part that would add exposure,
 * valued at its reserve price, plus its fees at that price. Orders that reduce a position hold
 * nothing for the shares the position has (taken in acceptance order, so two sells of the same long
 * do not both count it). `null` when an order that needs a price has none.
 */
export function reserved(book: AccountBook, marks: Marks, scope: ReservationScope = {}): bigint | null {
  const bySymbol = new Map<string, WorkingOrder[]>();
  const orders = [...book.orders()];
  if (scope.extra) orders.push(scope.extra);
  for (const order of orders) {
    if (order.id === scope.exclude) continue;
    const list = bySymbol.get(order.symbol);
    if (list) list.push(order);
    else bySymbol.set(order.symbol, [order]);
  }
  let total = 0n;
  for (const [symbol, list] of bySymbol) {
    const held = book.portfolio.position(symbol)?.qty ?? 0n;
    const reducing = held > 0n ? 'sell' : held < 0n ? 'buy' : null;
    let free = held < 0n ? -held : held;
    for (const order of list) {
      const amount = orderReserve(book, order, marks(symbol), reducing, free);
      if (amount === null) return null;
      if (order.side === reducing && order.qty !== null) free = maxFixed(free - remainingQty(order)!, 0n);
      total += amount;
    }
  }
  return total;
}

function orderReserve(book: AccountBook, order: WorkingOrder, mark: bigint | null, reducing: string | null, free: bigint): bigint | null {
  if (order.notional !== null) {
    // Notional sells never go short (see admission); notional buys hold their dollars and the fees on them.
    if (order.side === 'sell') return 0n;
    const notional = remainingNotional(order);
    return notional + feesOn(book, order, mark === null ? null : divFixed(notional, mark, 'ceil'), notional);
  }
  const remaining = remainingQty(order)!;
  const adding = order.side === reducing ? maxFixed(remaining - free, 0n) : remaining;
  if (adding === 0n) return 0n;
  const price = reservePrice(order, mark, book.config.fills.marketReserveBps);
  if (price === null) return null;
  const value = mulFixed(adding, price, 'ceil');
  return value + feesOn(book, order, adding, value);
}

function feesOn(book: AccountBook, order: WorkingOrder, qty: bigint | null, value: bigint): bigint {
  if (qty === null) return 0n;
  const fee = fillFee(book.config, order.side, order.assetClass, {
    qtyBefore: order.filledQty, valueBefore: order.filledValue, paidBefore: order.commissionPaid, qty, value, liquidity: 'taker',
  });
  return fee.commission + fee.regulatory;
}
