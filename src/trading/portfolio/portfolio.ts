import { mulFixed } from '../../model/fixed-point.ts';
import type { OrderSide } from '../../model/order.ts';
import { applyFill, type Position } from './position.ts';

/** Sale proceeds a cash account may not spend before `settlesAt`. */
export interface UnsettledCash {
  readonly amount: bigint;
  readonly settlesAt: number;
}

export interface PortfolioFill {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: bigint;
  readonly price: bigint;
  readonly fee: bigint;
  /** When the proceeds of a sale settle (cash accounts); ≤ the fill's time for at once. */
  readonly settlesAt: number;
  readonly at: number;
}

export interface PortfolioState {
  readonly cash: bigint;
  readonly realizedPl: bigint;
  readonly feesPaid: bigint;
  readonly positions: readonly (readonly [string, Position])[];
  readonly unsettled: readonly UnsettledCash[];
}

/**
 * Cash and positions of one account, in fixed point. A fill moves cash by exactly the value its
 * position change books (`qty × price`, rounded once), so cash + Σ cost basis + realized P&L − fees
 * balance to the starting cash to the billionth.
 */
export class Portfolio {
  cash: bigint;
  realizedPl = 0n;
  feesPaid = 0n;
  readonly #positions = new Map<string, Position>();
  #unsettled: UnsettledCash[] = [];

  constructor(cash: bigint) {
    this.cash = cash;
  }

  static restore(state: PortfolioState): Portfolio {
    const portfolio = new Portfolio(state.cash);
    portfolio.realizedPl = state.realizedPl;
    portfolio.feesPaid = state.feesPaid;
    for (const [symbol, position] of state.positions) portfolio.#positions.set(symbol, position);
    portfolio.#unsettled = [...state.unsettled];
    return portfolio;
  }

  state(): PortfolioState {
    return { cash: this.cash, realizedPl: this.realizedPl, feesPaid: this.feesPaid, positions: [...this.#positions], unsettled: [...this.#unsettled] };
  }

  /** Books a fill; returns the position's quantity after it. */
  apply(fill: PortfolioFill): bigint {
    const value = mulFixed(fill.qty, fill.price);
    const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
    const change = applyFill(this.#positions.get(fill.symbol) ?? null, signed, value, fill.price);
    if (change.position) this.#positions.set(fill.symbol, change.position);
    else this.#positions.delete(fill.symbol);
    this.realizedPl += change.realized;
    this.feesPaid += fill.fee;
    const cashMove = fill.side === 'buy' ? -value - fill.fee : value - fill.fee;
    this.cash += cashMove;
    if (cashMove > 0n && fill.settlesAt > fill.at) this.#unsettled.push({ amount: cashMove, settlesAt: fill.settlesAt });
    return change.position?.qty ?? 0n;
  }

  position(symbol: string): Position | null {
    return this.#positions.get(symbol) ?? null;
  }

  positions(): IterableIterator<[string, Position]> {
    return this.#positions.entries();
  }

  /** Cash whose sale proceeds have settled by `now` (all of it in a margin account's use of it). */
  settledCash(now: number): bigint {
    this.#unsettled = this.#unsettled.filter((entry) => entry.settlesAt > now);
    let unsettled = 0n;
    for (const entry of this.#unsettled) unsettled += entry.amount;
    return this.cash - unsettled;
  }
}
