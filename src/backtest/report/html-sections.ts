import type { BacktestResult } from '../backtest-result.ts';
import { escapeHtml } from './html-text.ts';
import type { YearOfReturns } from './monthly-returns.ts';
import { percent, type StatisticsRow } from './statistics-rows.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function statisticsTable(rows: readonly StatisticsRow[], benchmark: string | null): string {
  const head = `<tr><th></th><th>strategy</th>${benchmark ? `<th>${escapeHtml(benchmark)}</th>` : ''}</tr>`;
  const body = rows
    .map((row) => `<tr><td>${escapeHtml(row.label)}</td><td>${escapeHtml(row.strategy)}</td>${benchmark ? `<td>${escapeHtml(row.benchmark ?? '')}</td>` : ''}</tr>`)
    .join('\n');
  return `<table data-testid="statistics"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** A cell coloured green or red, deeper with the size of the return (full at ±10 %). */
function monthCell(value: number | null): string {
  if (value === null) return '<td></td>';
  const strength = Math.min(1, Math.abs(value) / 0.1);
  const colour = value >= 0 ? `rgb(26 156 116 / ${(0.08 + 0.42 * strength).toFixed(2)})` : `rgb(214 69 69 / ${(0.08 + 0.42 * strength).toFixed(2)})`;
  return `<td data-sign="${value >= 0 ? 'up' : 'down'}" style="background:${colour}">${percent(value)}</td>`;
}

export function monthlyTable(years: readonly YearOfReturns[]): string {
  const head = `<tr><th>year</th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>year</th></tr>`;
  const body = years.map(({ year, months, total }) => `<tr><td>${year}</td>${months.map(monthCell).join('')}${monthCell(total)}</tr>`).join('\n');
  return `<table class="monthly" data-testid="monthly-returns"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

function definitions(entries: readonly (readonly [string, string])[]): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

export function configurationList(result: BacktestResult): string {
  const c = result.configuration;
  return definitions([
    ['strategy', `${c.strategyName} (${c.strategyPath})`],
    ['strategy sha256', c.strategySha256],
    ['parameters', JSON.stringify(c.params)],
    ['starting cash', c.startingCash],
    ['account', c.accountType],
    ['fees', JSON.stringify(c.fees)],
    ['fills', JSON.stringify(c.fills)],
    ['period', `${c.from ?? 'all'} → ${c.to ?? 'all'}`],
    ['benchmark', c.benchmark ?? 'none'],
    ['risk-free rate', String(c.riskFreeRate)],
    ['seed', String(c.seed)],
    ['tickflow', result.tickflowVersion],
  ]);
}

export function inputsTable(result: BacktestResult): string {
  const rows = result.inputs.map((input) => `<tr><td>${escapeHtml(input.path)}</td><td>${input.bytes}</td><td><code title="${escapeHtml(input.sha256)}">${escapeHtml(input.sha256.slice(0, 12))}…</code></td></tr>`).join('\n');
  return `<table data-testid="inputs"><thead><tr><th>file</th><th>bytes</th><th>sha256</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}
