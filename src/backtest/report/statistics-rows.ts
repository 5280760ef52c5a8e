import type { PerformanceStatistics, Statistics } from './statistics.ts';

/** One line of the statistics table, formatted for people: the terminal summary and the HTML report share it. */
export interface StatisticsRow {
  readonly label: string;
  readonly strategy: string;
  /** `null`: the figure has no benchmark counterpart (or there is no benchmark). */
  readonly benchmark: string | null;
}

const NONE = '—';
export const percent = (value: number | null): string => (value === null ? NONE : `${(value * 100).toFixed(2)}%`);
export const decimal = (value: number | null, digits = 2): string => (value === null ? NONE : value.toFixed(digits));
export const days = (value: number | null): string => (value === null ? NONE : `${value.toFixed(1)} d`);
/** Dollars to the cent for reading; the exact figure stays in report.json. */
export const money = (value: string | null): string => (value === null ? NONE : Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

const PERFORMANCE: readonly [string, (p: PerformanceStatistics) => string][] = [
  ['Total return', (p) => percent(p.totalReturn)],
  ['CAGR', (p) => percent(p.cagr)],
  ['Annual volatility', (p) => percent(p.annualVolatility)],
  ['Sharpe ratio', (p) => decimal(p.sharpe)],
  ['Sortino ratio', (p) => decimal(p.sortino)],
  ['Max drawdown', (p) => percent(p.maxDrawdown)],
  ['Max drawdown duration', (p) => days(p.maxDrawdownDays)],
  ['Calmar ratio', (p) => decimal(p.calmar)],
];

export function statisticsRows(stats: Statistics): StatisticsRow[] {
  const { trades, activity } = stats;
  const own = (label: string, strategy: string): StatisticsRow => ({ label, strategy, benchmark: null });
  return [
    ...PERFORMANCE.map(([label, format]) => ({ label, strategy: format(stats.strategy), benchmark: stats.benchmark ? format(stats.benchmark) : null })),
    own('Beta', decimal(stats.beta)),
    own('Alpha (annual)', percent(stats.alpha)),
    own('Trading days', String(stats.tradingDays)),
    own('Round-trip trades', String(trades.count)),
    own('Win rate', percent(trades.winRate)),
    own('Profit factor', decimal(trades.profitFactor)),
    own('Average win', money(trades.averageWin)),
    own('Average loss', money(trades.averageLoss)),
    own('Expectancy', money(trades.expectancy)),
    own('Orders (filled)', `${activity.orders} (${activity.filledOrders})`),
    own('Fills', String(activity.fills)),
    own('Total fees', money(activity.totalFees)),
    own('Turnover', `${decimal(activity.turnover)}×`),
    own('Time in market', percent(activity.timeInMarket)),
    own('Average exposure', percent(activity.averageExposure)),
  ];
}
