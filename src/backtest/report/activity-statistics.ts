import type { BacktestResult } from '../backtest-result.ts';
import { absFixed, formatFixed, mulFixed, parseFixed } from '../../model/fixed-point.ts';
import { mean, ratio } from './sample-moments.ts';

/** How much the strategy traded and how much of the time it held something. */
export interface ActivityStatistics {
  readonly orders: number;
  /** Orders that filled at least in part. */
  readonly filledOrders: number;
  readonly fills: number;
  /** Σ fees of every fill, exact. */
  readonly totalFees: string;
  /** Σ |qty × price| of every fill, exact. */
  readonly tradedNotional: string;
  /** Traded notional / mean equity of the samples. */
  readonly turnover: number | null;
  /** Share of equity samples with gross exposure > 0. */
  readonly timeInMarket: number | null;
  /** Mean over equity samples of gross exposure / equity. */
  readonly averageExposure: number | null;
}

const exact = (text: string): bigint => parseFixed(text) ?? 0n;

export function activityStatistics(result: Pick<BacktestResult, 'orders' | 'fills' | 'equity'>): ActivityStatistics {
  let fees = 0n;
  let notional = 0n;
  for (const fill of result.fills) {
    fees += exact(fill.fee);
    notional += absFixed(mulFixed(exact(fill.qty), exact(fill.price)));
  }
  const equity = result.equity.map((point) => Number(point.equity));
  const exposed = result.equity.filter((point) => exact(point.grossExposure) > 0n).length;
  const exposures = result.equity.flatMap((point) => {
    const share = ratio(Number(point.grossExposure), Number(point.equity));
    return share === null ? [] : [share];
  });
  return {
    orders: result.orders.length,
    filledOrders: result.orders.filter((order) => exact(order.filled_qty) > 0n).length,
    fills: result.fills.length,
    totalFees: formatFixed(fees),
    tradedNotional: formatFixed(notional),
    turnover: ratio(Number(formatFixed(notional)), mean(equity)),
    timeInMarket: ratio(exposed, result.equity.length),
    averageExposure: mean(exposures),
  };
}
