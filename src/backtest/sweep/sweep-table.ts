import type { SweepRun } from './sweep-job.ts';

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);
const fixed = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/** The runs of a sweep, best first: by Sharpe ratio (undefined last), then total return. */
export function sweepTable(runs: readonly SweepRun[]): string {
  const ranked = [...runs].sort((a, b) => rank(b) - rank(a) || (b.statistics.strategy.totalReturn ?? -Infinity) - (a.statistics.strategy.totalReturn ?? -Infinity) || a.index - b.index);
  const header = ['#', 'parameters', 'return', 'CAGR', 'Sharpe', 'max DD', 'trades', 'win rate', 'report'];
  const rows = ranked.map((run, at) => {
    const { strategy, trades } = run.statistics;
    return [
      String(at + 1),
      Object.entries(run.params).map(([name, value]) => `${name}=${String(value)}`).join(' '),
      percent(strategy.totalReturn),
      percent(strategy.cagr),
      fixed(strategy.sharpe),
      percent(strategy.maxDrawdown),
      String(trades.count),
      percent(trades.winRate),
      `${run.dir}/report.html`,
    ];
  });
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const numeric = new Set([0, 2, 3, 4, 5, 6, 7]);
  const line = (row: readonly string[]) => row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function rank(run: SweepRun): number {
  return run.statistics.strategy.sharpe ?? -Infinity;
}
