import type { DailyPoint } from '../backtest-result.ts';

/**
 * Simple returns of consecutive values, the first against `start` (the starting cash: the first
 * trading day's return counts from the money the run began with).
 */
export function simpleReturns(start: number, values: readonly number[]): number[] {
  const returns: number[] = [];
  let previous = start;
  for (const value of values) {
    returns.push(previous === 0 ? 0 : value / previous - 1);
    previous = value;
  }
  return returns;
}

/** The account's daily returns. */
export function strategyDailyReturns(startingCash: number, daily: readonly DailyPoint[]): number[] {
  return simpleReturns(startingCash, daily.map((point) => Number(point.equity)));
}

/**
 * The benchmark's daily returns (its value starts as the starting cash), or `null` when a day has
 * no benchmark value: a partial series would compare different periods.
 */
export function benchmarkDailyReturns(startingCash: number, daily: readonly DailyPoint[]): number[] | null {
  if (daily.length === 0 || daily.some((point) => point.benchmark === null)) return null;
  return simpleReturns(startingCash, daily.map((point) => Number(point.benchmark)));
}
