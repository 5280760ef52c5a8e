/* global CSS, LightweightCharts, document, requestAnimationFrame -- browser globals (the lint config is Node's) */
// Draws the report's charts from the JSON embedded in the page (html-report.ts). Runs offline.
const data = JSON.parse(document.getElementById('report-data').textContent);
const { createChart, LineSeries, CandlestickSeries, createSeriesMarkers } = LightweightCharts;

const COLORS = { strategy: '#2f6fed', benchmark: '#9aa3b2', up: '#1a9c74', down: '#d64545', grid: '#eef0f4', text: '#4a5263' };

const charts = [];

function chartIn(container, percent) {
  const chart = createChart(container, {
    autoSize: true,
    layout: { background: { type: 'solid', color: '#ffffff' }, textColor: COLORS.text, fontSize: 11, attributionLogo: false },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    rightPriceScale: { borderVisible: false },
    // Every sample fits the width (the default keeps bars at least half a pixel apart: a week of minutes would not fit).
    timeScale: { borderVisible: false, timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
    localization: percent ? { priceFormatter: (value) => `${value.toFixed(1)}%` } : {},
  });
  charts.push(chart);
  return chart;
}

/** Draws `series` [{ title, color, points }] in the container and records how many points each got. */
function lines(testId, series, percent = false) {
  const container = document.querySelector(`[data-testid="${testId}"]`);
  const chart = chartIn(container, percent);
  const counts = series.map(({ title, color, points }) => {
    const line = chart.addSeries(LineSeries, { color, title, lineWidth: 2, priceLineVisible: false });
    line.setData(points);
    return line.data().length;
  });
  chart.timeScale().fitContent();
  container.dataset.count = String(counts[0]);
}

lines('equity-chart', [
  { title: 'strategy', color: COLORS.strategy, points: data.equity },
  ...(data.benchmark ? [{ title: 'benchmark', color: COLORS.benchmark, points: data.benchmark }] : []),
]);
lines('drawdown-chart', [
  { title: 'strategy', color: COLORS.down, points: data.drawdown },
  ...(data.benchmarkDrawdown ? [{ title: 'benchmark', color: COLORS.benchmark, points: data.benchmarkDrawdown }] : []),
], true);

for (const price of data.prices) {
  const container = document.querySelector(`[data-testid="price-chart"][data-symbol="${CSS.escape(price.symbol)}"]`);
  const chart = chartIn(container, false);
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: COLORS.up, downColor: COLORS.down, borderUpColor: COLORS.up, borderDownColor: COLORS.down, wickUpColor: COLORS.up, wickDownColor: COLORS.down,
  });
  candles.setData(price.bars);
  createSeriesMarkers(candles, price.markers.map(({ time, side, text }) => ({
    time,
    position: side === 'buy' ? 'belowBar' : 'aboveBar',
    shape: side === 'buy' ? 'arrowUp' : 'arrowDown',
    color: side === 'buy' ? COLORS.up : COLORS.down,
    text,
  })));
  chart.timeScale().fitContent();
  container.dataset.count = String(candles.data().length);
  container.dataset.markers = String(price.markers.length);
}
// With autoSize the width is known only after layout: fit again once it is, so the whole run shows.
requestAnimationFrame(() => {
  for (const chart of charts) chart.timeScale().fitContent();
  document.body.dataset.drawn = 'true';
});
