import { readFileSync } from 'node:fs';
import type { BacktestResult } from '../backtest-result.ts';
import { chartLibrary } from '../../chart-library.ts';
import { configurationList, inputsTable, monthlyTable, statisticsTable } from './html-sections.ts';
import { escapeHtml, jsonForScript } from './html-text.ts';
import { monthlyReturns } from './monthly-returns.ts';
import { pageData } from './page-data.ts';
import type { Statistics } from './statistics.ts';
import { statisticsRows } from './statistics-rows.ts';

const readPageFile = (name: string): string => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');

/**
 * The report as ONE HTML file that opens offline (file://): the chart library, the styles, the
 * script and the data are all inline; nothing is fetched.
 */
export function htmlReport(result: BacktestResult, statistics: Statistics): string {
  const c = result.configuration;
  const benchmark = statistics.benchmark ? (c.benchmark ?? 'benchmark') : null;
  const data = pageData(result);
  const period = `${result.daily[0]?.date ?? '—'} → ${result.daily.at(-1)?.date ?? '—'}`;
  const legend = `<p class="legend"><i style="background:#2f6fed"></i>strategy${benchmark ? `<i style="background:#9aa3b2"></i>${escapeHtml(benchmark)} (buy and hold)` : ''}</p>`;
  const priceCharts = data.prices
    .map((p) => `<h3>${escapeHtml(p.symbol)}</h3><div class="chart" data-testid="price-chart" data-symbol="${escapeHtml(p.symbol)}"></div>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Backtest · ${c.strategyName} · ${period}`)}</title>
<style>${readPageFile('report.css')}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(c.strategyName)}</h1><p>${escapeHtml(period)} · starting cash ${escapeHtml(c.startingCash)} · final equity ${escapeHtml(result.final.equity)}</p></header>
<section><h2>Equity</h2>${legend}<div class="chart" data-testid="equity-chart"></div>
<h3>Drawdown</h3><div class="chart small" data-testid="drawdown-chart"></div></section>
<div class="grid">
<section><h2>Statistics</h2>${statisticsTable(statisticsRows(statistics), benchmark)}</section>
<section><h2>Configuration</h2>${configurationList(result)}<h3>Inputs</h3>${inputsTable(result)}</section>
</div>
<section><h2>Monthly returns</h2>${monthlyTable(monthlyReturns(Number(c.startingCash), result.daily))}</section>
<section><h2>Prices and fills</h2>${priceCharts || '<p>no prices recorded</p>'}</section>
<footer>tickflow ${escapeHtml(result.tickflowVersion)} · charts: <a href="https://www.tradingview.com/">TradingView Lightweight Charts™</a></footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${chartLibrary().body.toString('utf8')}</script>
<script>${readPageFile('report.js')}</script>
</body>
</html>
`;
}
