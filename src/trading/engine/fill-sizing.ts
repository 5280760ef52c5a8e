import { absFixed, divFixed, FIXED_ONE, maxFixed, minFixed, mulFixed } from '../../model/fixed-point.ts';
import { fillFee } from '../fees/fill-fee.ts';
import { floorToWhole } from '../fills/participation.ts';
import { value, type Marks } from '../portfolio/valuation.ts';
import type { AccountBook } from './account-book.ts';
import { reserved } from './reservations.ts';
import { remainingNotional, remainingQty, type WorkingOrder } from './working-order.ts';

export interface FillSize {
  readonly qty: bigint;
  /** Buying power (or the fee it costs) kept it below what the order and the print allowed. */
  readonly cutByBuyingPower: boolean;
}

/**
 * How much of a fill the model allows (`maxQty` from the print, `capacity` left of the account's
 * participation in it) the account can take: at most what the order has left, in whole shares when
 * the asset is not fractionable, never short in a cash account (nor by a notional order or in an
 * asset that cannot be shorted, nor in fractions), and never spending buying power the account does
 * not have once its other orders' reservations are held: fills that add exposure are cut to what
 * buying power covers after fees. Reducing a position is always allowed.
 */
export function sizeFill(book: AccountBook, order: WorkingOrder, marks: Marks, price: bigint, maxQty: bigint | null, capacity: bigint | null, now: number): FillSize {
  const whole = !order.fractionable;
  let qty = remainingQty(order) ?? divFixed(remainingNotional(order), price, 'floor');
  if (maxQty !== null) qty = minFixed(qty, maxQty);
  if (capacity !== null) qty = minFixed(qty, capacity);
  if (whole) qty = floorToWhole(qty);
  const held = book.portfolio.position(order.symbol)?.qty ?? 0n;
  if (order.side === 'sell') {
    const long = maxFixed(held, 0n);
    const mayShort = book.config.accountType === 'margin' && order.notional === null && order.shortable;
    if (qty > long) qty = mayShort ? long + floorToWhole(qty - long) : long;
  }
  if (qty <= 0n) return { qty: 0n, cutByBuyingPower: false };
  const allowed = exposureCheck(book, order, marks, price, held, now);
  if (allowed(qty)) return { qty, cutByBuyingPower: false };
  // Only the part that adds exposure needs buying power: search above the part that reduces.
  const reducesHeld = order.side === 'sell' ? held > 0n : held < 0n;
  const reducing = reducesHeld ? minFixed(qty, absFixed(held)) : 0n;
  const unit = whole ? FIXED_ONE : 1n;
  let low = 0n;
  let high = (qty - reducing) / unit;
  while (low < high) {
    const middle = (low + high + 1n) / 2n;
    if (allowed(reducing + middle * unit)) low = middle;
    else high = middle - 1n;
  }
  return { qty: reducing + low * unit, cutByBuyingPower: true };
}

function exposureCheck(book: AccountBook, order: WorkingOrder, marks: Marks, price: bigint, held: bigint, now: number): (qty: bigint) => boolean {
  const others = reserved(book, marks, { exclude: order.id }) ?? 0n;
  const valuation = value(book.portfolio, marks);
  const settled = book.portfolio.settledCash(now);
  const mark = marks(order.symbol) ?? price;
  const multiplier = BigInt(book.config.multiplier);
  return (qty) => {
    const after = held + (order.side === 'buy' ? qty : -qty);
    if (absFixed(after) <= absFixed(held)) return true;
    const worth = mulFixed(qty, price);
    const fee = fillFee(book.config, order.side, order.assetClass, {
      qtyBefore: order.filledQty, valueBefore: order.filledValue, paidBefore: order.commissionPaid, qty, value: worth, liquidity: order.match.maker ? 'maker' : 'taker',
    });
    const cashMove = (order.side === 'buy' ? -worth : worth) - fee.commission - fee.regulatory;
    if (book.config.accountType === 'cash') return settled + cashMove - others >= 0n;
    const worthBefore = mulFixed(held, mark);
    const worthAfter = mulFixed(after, mark);
    const equity = valuation.equity - worthBefore + worthAfter + cashMove;
    const exposure = valuation.exposure - absFixed(worthBefore) + absFixed(worthAfter);
    return multiplier * equity - exposure - others >= 0n;
  };
}
