import { divRound } from '../../model/fixed-point.ts';

/**
 * A position in one symbol (fixed point). `qty` is signed (negative: short); `costBasis` carries the
 * same sign: what was paid for a long (received for a short) for the shares still held, so the
 * average entry price is costBasis / qty.
 */
export interface Position {
  readonly qty: bigint;
  readonly costBasis: bigint;
  /** The last fill's price: the mark until the tape has one. */
  readonly lastFillPrice: bigint;
}

export interface PositionChange {
  /** `null` when the position is closed. */
  readonly position: Position | null;
  /** P&L realized by the part that closed shares (0 when only adding). */
  readonly realized: bigint;
}

const sign = (value: bigint): bigint => (value < 0n ? -1n : value > 0n ? 1n : 0n);
const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/**
 * A fill of `signedQty` (positive: bought) worth `value` (> 0, the exact amount cash moved by, fees
 * apart) at `price`. Adding keeps the average price; reducing takes the cost basis off in proportion
 * (all of it when closing, so no rounding residue stays behind) and realizes the difference; going
 * through zero closes the position and opens the other side with the rest of the value.
 */
export function applyFill(position: Position | null, signedQty: bigint, value: bigint, price: bigint): PositionChange {
  const held = position?.qty ?? 0n;
  const basis = position?.costBasis ?? 0n;
  const side = sign(signedQty);
  if (held === 0n || sign(held) === side) {
    return { position: { qty: held + signedQty, costBasis: basis + side * value, lastFillPrice: price }, realized: 0n };
  }
  const closing = abs(signedQty) < abs(held) ? abs(signedQty) : abs(held);
  const closingValue = closing === abs(signedQty) ? value : divRound(value * closing, abs(signedQty), 'half-even');
  const basisClosed = closing === abs(held) ? basis : divRound(basis * closing, abs(held), 'half-even');
  // A long closed by selling gains value − cost; a short closed by buying gains proceeds − value.
  const realized = sign(held) * (closingValue - abs(basisClosed));
  const left = held + side * closing;
  const opening = abs(signedQty) - closing;
  if (opening > 0n) {
    return { position: { qty: side * opening, costBasis: side * (value - closingValue), lastFillPrice: price }, realized };
  }
  return { position: left === 0n ? null : { qty: left, costBasis: basis - basisClosed, lastFillPrice: price }, realized };
}
