import type { BacktestResult } from '../backtest-result.ts';
import { computeStatistics, type Statistics } from './statistics.ts';
import { statisticsRows } from './statistics-rows.ts';

/**
 * The terminal summary: labels left, figures right-aligned, the benchmark in a third column when
 * the run has one. Plain text, no colours (it goes to logs as well).
 */
export function summaryTable(result: BacktestResult, statistics: Statistics = computeStatistics(result)): string {
  const benchmark = statistics.benchmark ? (result.configuration.benchmark ?? 'benchmark') : null;
  const header = ['', 'strategy', ...(benchmark ? [benchmark] : [])];
  const rows = statisticsRows(statistics).map((row) => [row.label, row.strategy, ...(benchmark ? [row.benchmark ?? ''] : [])]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  const title = `${result.configuration.strategyName}  ${result.daily[0]?.date ?? '?'} → ${result.daily.at(-1)?.date ?? '?'}`;
  return [title, line(header), ...rows.map(line)].join('\n') + '\n';
}
