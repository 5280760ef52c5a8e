import type { DailyPoint } from '../backtest-result.ts';

export interface YearOfReturns {
  readonly year: number;
  /** January first; `null` for a month without trading days in the run. */
  readonly months: readonly (number | null)[];
  /** The year's compounded return over its months in the run. */
  readonly total: number;
}

/**
 * Each month's return: its last day's equity over the previous month's last (the starting cash for
 * the first month), minus 1. Rows are years, oldest first.
 */
export function monthlyReturns(startingCash: number, daily: readonly DailyPoint[]): YearOfReturns[] {
  const monthEnds = new Map<string, number>();
  for (const point of daily) monthEnds.set(point.date.slice(0, 7), Number(point.equity));
  const years = new Map<number, (number | null)[]>();
  let previous = startingCash;
  for (const [month, equity] of monthEnds) {
    const year = Number(month.slice(0, 4));
    const row = years.get(year) ?? Array<number | null>(12).fill(null);
    row[Number(month.slice(5, 7)) - 1] = previous > 0 ? equity / previous - 1 : null;
    years.set(year, row);
    previous = equity;
  }
  return [...years].map(([year, months]) => ({ year, months, total: months.reduce<number>((product, r) => product * (1 + (r ?? 0)), 1) - 1 }));
}
