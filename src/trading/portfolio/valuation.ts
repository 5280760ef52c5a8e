import { mulFixed } from '../../model/fixed-point.ts';
import type { Portfolio } from './portfolio.ts';
import type { Position } from './position.ts';

/** The last price of a symbol on the tape, or `null` before its first print. */
export type Marks = (symbol: string) => bigint | null;

export interface Valuation {
  readonly longMarketValue: bigint;
  /** ≤ 0. */
  readonly shortMarketValue: bigint;
  /** cash + long + short market value. */
  readonly equity: bigint;
  readonly unrealizedPl: bigint;
  /** Σ |market value|: what margin buying power is used by. */
  readonly exposure: bigint;
}

/** The price a position is valued at: the last print, else its last fill. */
export function markOf(marks: Marks, symbol: string, position: Position): bigint {
  return marks(symbol) ?? position.lastFillPrice;
}

export function marketValue(position: Position, mark: bigint): bigint {
  return mulFixed(position.qty, mark);
}

/** Positions marked to the last print. */
export function value(portfolio: Portfolio, marks: Marks): Valuation {
  let long = 0n;
  let short = 0n;
  let unrealized = 0n;
  for (const [symbol, position] of portfolio.positions()) {
    const worth = marketValue(position, markOf(marks, symbol, position));
    if (worth >= 0n) long += worth;
    else short += worth;
    unrealized += worth - position.costBasis;
  }
  return { longMarketValue: long, shortMarketValue: short, equity: portfolio.cash + long + short, unrealizedPl: unrealized, exposure: long - short };
}
