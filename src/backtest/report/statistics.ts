import type { BacktestResult, EquityPoint } from '../backtest-result.ts';
import { activityStatistics, type ActivityStatistics } from './activity-statistics.ts';
import { benchmarkRelation } from './benchmark-statistics.ts';
import { benchmarkDailyReturns, strategyDailyReturns } from './daily-returns.ts';
import { maxDrawdown, type ValueAt } from './drawdown.ts';
import { annualVolatility, cagr, sharpeRatio, sortinoRatio, totalReturn } from './return-statistics.ts';
import { ratio } from './sample-moments.ts';
import { roundTrips } from './round-trips.ts';
import { tradeStatistics, type TradeStatistics } from './trade-statistics.ts';

/**
 * Every figure of a backtest report (definitions: docs/backtest-statistics.md). Ratios are
 * fractions (0.05 is 5 %); `null` marks a figure the data leaves undefined, never NaN or Infinity.
 */
export interface Statistics {
  readonly tradingDays: number;
  readonly strategy: PerformanceStatistics;
  /** Buy-and-hold of the benchmark over the same days; `null` without one. */
  readonly benchmark: PerformanceStatistics | null;
  readonly beta: number | null;
  readonly alpha: number | null;
  readonly trades: TradeStatistics;
  readonly activity: ActivityStatistics;
}

export interface PerformanceStatistics {
  readonly totalReturn: number | null;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** ≤ 0: −0.2 is a fall of 20 % from a peak. */
  readonly maxDrawdown: number | null;
  readonly maxDrawdownDays: number | null;
  /** CAGR / |max drawdown|. */
  readonly calmar: number | null;
}

interface Series {
  readonly start: number;
  readonly end: number;
  readonly dailyReturns: readonly number[];
  /** Starting cash first, then each sample. */
  readonly samples: readonly ValueAt[];
}

function performance(series: Series, result: BacktestResult): PerformanceStatistics {
  const growth = cagr(series.start, series.end, result.firstEventAt, result.lastEventAt);
  const drawdown = maxDrawdown(series.samples);
  return {
    totalReturn: totalReturn(series.start, series.end),
    cagr: growth,
    annualVolatility: annualVolatility(series.dailyReturns),
    sharpe: sharpeRatio(series.dailyReturns, result.configuration.riskFreeRate),
    sortino: sortinoRatio(series.dailyReturns, result.configuration.riskFreeRate),
    maxDrawdown: drawdown?.depth ?? null,
    maxDrawdownDays: drawdown?.longestDays ?? null,
    calmar: drawdown ? ratio(growth, Math.abs(drawdown.depth)) : null,
  };
}

function samplesOf(result: BacktestResult, start: number, valueOf: (point: EquityPoint) => string | null): ValueAt[] {
  const samples: ValueAt[] = [{ time: result.firstEventAt, value: start }];
  for (const point of result.equity) {
    const value = valueOf(point);
    if (value !== null) samples.push({ time: point.time, value: Number(value) });
  }
  return samples;
}

function benchmarkSeries(result: BacktestResult, start: number): Series | null {
  const dailyReturns = result.configuration.benchmark === null ? null : benchmarkDailyReturns(start, result.daily);
  if (dailyReturns === null) return null;
  const samples = samplesOf(result, start, (point) => point.benchmark);
  return { start, end: samples.at(-1)!.value, dailyReturns, samples };
}

export function computeStatistics(result: BacktestResult): Statistics {
  const start = Number(result.configuration.startingCash);
  const strategy: Series = {
    start,
    end: Number(result.final.equity),
    dailyReturns: strategyDailyReturns(start, result.daily),
    samples: samplesOf(result, start, (point) => point.equity),
  };
  const benchmark = benchmarkSeries(result, start);
  const relation = benchmark ? benchmarkRelation(strategy.dailyReturns, benchmark.dailyReturns) : { beta: null, alpha: null };
  return {
    tradingDays: result.daily.length,
    strategy: performance(strategy, result),
    benchmark: benchmark ? performance(benchmark, result) : null,
    beta: relation.beta,
    alpha: relation.alpha,
    trades: tradeStatistics(roundTrips(result.fills)),
    activity: activityStatistics(result),
  };
}
