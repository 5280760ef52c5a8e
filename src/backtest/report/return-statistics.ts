import { mean, ratio, sampleStd } from './sample-moments.ts';

/** Trading days in a year: daily figures are annualized with it (√252 for deviations). */
export const TRADING_DAYS_PER_YEAR = 252;
const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/** `end / start − 1`. */
export function totalReturn(start: number, end: number): number | null {
  return start > 0 ? end / start - 1 : null;
}

/** Compound annual growth over calendar time (365.25-day years) from `fromMs` to `toMs`. */
export function cagr(start: number, end: number, fromMs: number, toMs: number): number | null {
  const years = (toMs - fromMs) / YEAR_MS;
  if (start <= 0 || end < 0 || years <= 0) return null;
  const growth = (end / start) ** (1 / years) - 1;
  return Number.isFinite(growth) ? growth : null;
}

/** Sample standard deviation of daily returns × √252. */
export function annualVolatility(dailyReturns: readonly number[]): number | null {
  const std = sampleStd(dailyReturns);
  return std === null ? null : std * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** The annual risk-free rate as a daily one: (1 + rf)^(1/252) − 1 (empyrical's form). */
export function dailyRiskFree(annualRate: number): number {
  return (1 + annualRate) ** (1 / TRADING_DAYS_PER_YEAR) - 1;
}

function excessReturns(dailyReturns: readonly number[], annualRiskFree: number): number[] {
  const rf = dailyRiskFree(annualRiskFree);
  return dailyReturns.map((r) => r - rf);
}

/** mean(excess) / std(excess, ddof=1) × √252. */
export function sharpeRatio(dailyReturns: readonly number[], annualRiskFree: number): number | null {
  const excess = excessReturns(dailyReturns, annualRiskFree);
  const annualized = ratio(mean(excess), sampleStd(excess));
  return annualized === null ? null : annualized * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** √(mean(min(0, x)²)) over every day, not only the losing ones (empyrical's `downside_risk`). */
export function downsideDeviation(excess: readonly number[]): number | null {
  const squares = mean(excess.map((x) => Math.min(0, x) ** 2));
  return squares === null ? null : Math.sqrt(squares);
}

/** mean(excess) / downside deviation × √252. */
export function sortinoRatio(dailyReturns: readonly number[], annualRiskFree: number): number | null {
  const excess = excessReturns(dailyReturns, annualRiskFree);
  const annualized = ratio(mean(excess), downsideDeviation(excess));
  return annualized === null ? null : annualized * Math.sqrt(TRADING_DAYS_PER_YEAR);
}
