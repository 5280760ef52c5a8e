import { divRound, formatFixed } from '../../model/fixed-point.ts';
import type { RoundTrip } from './round-trips.ts';

/** Figures of the closed round trips; money as exact decimal strings, `null` where undefined. */
export interface TradeStatistics {
  readonly count: number;
  /** P&L > 0; a trip at exactly 0 is neither a win nor a loss. */
  readonly wins: number;
  readonly losses: number;
  /** wins / count. */
  readonly winRate: number | null;
  /** Σ winning P&L / |Σ losing P&L|; `null` without losses (or without trades). */
  readonly profitFactor: number | null;
  readonly grossWins: string;
  readonly grossLosses: string;
  readonly averageWin: string | null;
  readonly averageLoss: string | null;
  /** Mean P&L of a trip (wins, losses and zeros). */
  readonly expectancy: string | null;
}

const averageOf = (sum: bigint, count: number): string | null => (count === 0 ? null : formatFixed(divRound(sum, BigInt(count), 'half-even')));

export function tradeStatistics(trips: readonly RoundTrip[]): TradeStatistics {
  let grossWins = 0n;
  let grossLosses = 0n;
  let wins = 0;
  let losses = 0;
  for (const { pl } of trips) {
    if (pl > 0n) {
      grossWins += pl;
      wins++;
    } else if (pl < 0n) {
      grossLosses += pl;
      losses++;
    }
  }
  return {
    count: trips.length,
    wins,
    losses,
    winRate: trips.length === 0 ? null : wins / trips.length,
    profitFactor: grossLosses === 0n ? null : Number(grossWins) / -Number(grossLosses),
    grossWins: formatFixed(grossWins),
    grossLosses: formatFixed(grossLosses),
    averageWin: averageOf(grossWins, wins),
    averageLoss: averageOf(grossLosses, losses),
    expectancy: averageOf(grossWins + grossLosses, trips.length),
  };
}
