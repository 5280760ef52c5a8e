import { InternalError } from '../../errors.ts';
import type { Fill } from '../../model/fill.ts';
import { absFixed, divRound, mulFixed, parseFixed } from '../../model/fixed-point.ts';

/** One round trip in a symbol: from flat to flat again (or to the other side), exact decimals. */
export interface RoundTrip {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly openedAt: number;
  readonly closedAt: number;
  /** Proceeds minus cost minus every fee of its fills (billionths of a dollar). */
  readonly pl: bigint;
}

interface OpenTrip {
  readonly side: 'long' | 'short';
  readonly openedAt: number;
  /** Signed position: positive long. */
  position: bigint;
  /** Cash in minus cash out so far, fees included. */
  cash: bigint;
}

function exact(text: string, field: string, fill: Fill): bigint {
  const value = parseFixed(text);
  if (value === null) throw new InternalError(`fill ${fill.id}: ${field} ${JSON.stringify(text)} is not a decimal`);
  return value;
}

/**
 * The closed round trips of `fills` (in the order they happened), per symbol. A trip closes when the
 * position returns to 0, or flips: the flipping fill is split by quantity, its fee pro rata, and the
 * rest opens the next trip. Summed over a whole trip, FIFO lot matching gives the same P&L as this
 * cash accounting, so no lots are kept. Trips still open at the end are not counted.
 */
export function roundTrips(fills: readonly Fill[]): RoundTrip[] {
  const open = new Map<string, OpenTrip>();
  const closed: RoundTrip[] = [];
  for (const fill of fills) {
    const qty = exact(fill.qty, 'qty', fill);
    const price = exact(fill.price, 'price', fill);
    const fee = exact(fill.fee, 'fee', fill);
    const signed = fill.side === 'buy' ? qty : -qty;
    let remaining = signed;
    let feeLeft = fee;
    let trip = open.get(fill.symbol);
    if (trip && (trip.position > 0n) !== (signed > 0n)) {
      // The closing part, signed like the fill: all of it, or only what brings the position to 0.
      const part = absFixed(signed) <= absFixed(trip.position) ? signed : -trip.position;
      const partFee = part === signed ? fee : divRound(fee * absFixed(part), qty, 'half-even');
      trip.cash -= mulFixed(part, price) + partFee;
      trip.position += part;
      remaining -= part;
      feeLeft -= partFee;
      if (trip.position === 0n) {
        closed.push({ symbol: fill.symbol, side: trip.side, openedAt: trip.openedAt, closedAt: fill.transaction_time, pl: trip.cash });
        open.delete(fill.symbol);
        trip = undefined;
      }
    }
    if (remaining === 0n) continue;
    trip ??= { side: remaining > 0n ? 'long' : 'short', openedAt: fill.transaction_time, position: 0n, cash: 0n };
    trip.cash -= mulFixed(remaining, price) + feeLeft;
    trip.position += remaining;
    open.set(fill.symbol, trip);
  }
  return closed;
}
