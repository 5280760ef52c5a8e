import type { Fill } from '../../model/fill.ts';
import { divFixed, formatFixed, mulFixed } from '../../model/fixed-point.ts';
import { fillFee } from '../fees/fill-fee.ts';
import type { Print } from '../fills/print.ts';
import type { AccountBook } from './account-book.ts';
import { derivedUuid } from './derived-id.ts';
import type { MarketCalendar } from './market-calendar.ts';
import { remainingNotional, remainingQty, type WorkingOrder } from './working-order.ts';

/**
 * Books a sized fill: cash, position, fees, the order's progress (status `partially_filled` or
 * `filled`). Returns the fill record.
 */
export function bookFill(book: AccountBook, calendar: MarketCalendar, order: WorkingOrder, print: Print, price: bigint, qty: bigint, liquidity: 'maker' | 'taker', at: number): Fill {
  const worth = mulFixed(qty, price);
  const fee = fillFee(book.config, order.side, order.assetClass, {
    qtyBefore: order.filledQty, valueBefore: order.filledValue, paidBefore: order.commissionPaid, qty, value: worth, liquidity,
  });
  const total = fee.commission + fee.regulatory;
  const positionQty = book.portfolio.apply({ symbol: order.symbol, side: order.side, qty, price, fee: total, settlesAt: settlesAt(book, calendar, order, at), at });
  order.filledQty += qty;
  order.filledValue += worth;
  order.commissionPaid += fee.commission;
  order.fills++;
  order.updatedAt = at;
  const done = remainingQty(order) === 0n || (order.notional !== null && divFixed(remainingNotional(order), price, 'floor') < (order.fractionable ? 1n : 1_000_000_000n));
  order.status = done ? 'filled' : 'partially_filled';
  if (done) order.filledAt = at;
  book.counters.fills++;
  const leaves = remainingQty(order) ?? (done ? 0n : divFixed(remainingNotional(order), price, 'floor'));
  return {
    type: 'fill',
    id: derivedUuid('fill', book.id, String(book.counters.fills)),
    account_id: book.id,
    order_id: order.id,
    symbol: order.symbol,
    side: order.side,
    qty: formatFixed(qty),
    price: formatFixed(price),
    fee: formatFixed(total),
    cum_qty: formatFixed(order.filledQty),
    leaves_qty: formatFixed(leaves),
    position_qty: formatFixed(positionQty),
    liquidity,
    transaction_time: at,
    lineage: [print.input],
  };
}

/**
 * When a cash account may spend a sale's proceeds: after `settlementSessions` trading days (the
 * proceeds of a sale on day T are settled at the open of T+n). Margin accounts, and markets that never
 * close, settle at once.
 */
function settlesAt(book: AccountBook, calendar: MarketCalendar, order: WorkingOrder, at: number): number {
  if (book.config.accountType !== 'cash' || order.side !== 'sell') return at;
  let time = at;
  for (let session = 0; session < book.config.settlementSessions; session++) {
    const close = calendar.nextClose(order.market, time, true);
    if (close === null) return at;
    time = close;
  }
  return time === at ? at : (calendar.nextOpen(order.market, time) ?? at);
}
