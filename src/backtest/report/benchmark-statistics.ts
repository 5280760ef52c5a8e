import { TRADING_DAYS_PER_YEAR } from './return-statistics.ts';
import { mean, ratio, sampleCovariance } from './sample-moments.ts';

export interface BenchmarkRelation {
  /** cov(r, b) / var(b) of daily returns. */
  readonly beta: number | null;
  /** (mean(r) − beta · mean(b)) × 252: annualized, risk-free rate 0. */
  readonly alpha: number | null;
}

export function benchmarkRelation(returns: readonly number[], benchmark: readonly number[]): BenchmarkRelation {
  const beta = ratio(sampleCovariance(returns, benchmark), sampleCovariance(benchmark, benchmark));
  const meanR = mean(returns);
  const meanB = mean(benchmark);
  const alpha = beta === null || meanR === null || meanB === null ? null : (meanR - beta * meanB) * TRADING_DAYS_PER_YEAR;
  return { beta, alpha };
}
