import { equityPoints } from './equity-points.js';

/* global LightweightCharts -- the standalone build at /web/vendor/lightweight-charts.js, loaded first */

const COLORS = { background: '#0f141d', text: '#8a94a6', grid: '#1a2130', border: '#232b3a', line: '#5b8cff' };

/** The account's equity over the day, a line of the portfolio history. */
export class EquityCurve {
  #container;
  #chart;
  #line;
  /** The time (seconds) of the last point drawn; a live point goes after it only. */
  #lastTime = -Infinity;
  #count = 0;

  constructor(container) {
    this.#container = container;
    const { createChart, LineSeries } = LightweightCharts;
    this.#chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: 'solid', color: COLORS.background }, textColor: COLORS.text, fontFamily: 'inherit', fontSize: 10, attributionLogo: false },
      grid: { vertLines: { visible: false }, horzLines: { color: COLORS.grid } },
      rightPriceScale: { borderColor: COLORS.border },
      timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: false },
      handleScroll: false,
      handleScale: false,
    });
    this.#line = this.#chart.addSeries(LineSeries, {
      color: COLORS.line,
      lineWidth: 2,
      priceLineVisible: false,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
  }

  /** Returns how many points it draws. */
  render(history) {
    const points = equityPoints(history);
    this.#line.setData(points);
    this.#chart.timeScale().fitContent();
    this.#lastTime = points.at(-1)?.time ?? -Infinity;
    this.#count = points.length;
    this.#container.dataset.count = String(points.length);
    return points.length;
  }

  /**
   * The account's equity now (`GET /v2/account`, at its `as_of`): the history has a point a minute,
   * this keeps the line's end where the summary is in between.
   */
  live(asOfMs, equity) {
    const time = Math.floor(asOfMs / 1000);
    const value = Number(equity);
    if (!Number.isFinite(time) || !Number.isFinite(value) || time < this.#lastTime) return;
    this.#line.update({ time, value });
    if (time > this.#lastTime) this.#count += 1;
    this.#lastTime = time;
    this.#container.dataset.count = String(this.#count);
  }

  clear() {
    this.#line.setData([]);
    this.#lastTime = -Infinity;
    this.#count = 0;
    this.#container.dataset.count = '0';
  }
}
