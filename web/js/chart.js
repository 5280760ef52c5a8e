import { precisionOf } from './format.js';
import { fitLabels } from './marker-labels.js';

/* global LightweightCharts -- the standalone build at /web/vendor/lightweight-charts.js, loaded first */

const COLORS = {
  background: '#0f141d',
  text: '#8a94a6',
  grid: '#1a2130',
  border: '#232b3a',
  up: '#26a69a',
  down: '#ef5350',
  vwap: '#f5b942',
  buy: '#2ee6a8',
  sell: '#ff6b6b',
};

const localTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const localDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** lightweight-charts wants seconds (UTCTimestamp); tickflow's times are Unix ms. */
const seconds = (ms) => Math.floor(ms / 1000);

function candlePoint(candle) {
  return { time: seconds(candle.start), open: candle.open, high: candle.high, low: candle.low, close: candle.close };
}

/** A whitespace point where a bar has no VWAP (forex), so both series keep the same times. */
function vwapPoint(candle) {
  return candle.vwap === null ? { time: seconds(candle.start) } : { time: seconds(candle.start), value: candle.vwap };
}

/**
 * Where a signal belongs on the chart: the candle of the input it decided on. A signal made on a
 * closed bar carries the bar's end as its event time, which is already the next bar's start.
 */
export function signalBucketTime(signal, book) {
  const onBar = signal.lineage?.at?.(-1)?.recordType === 'bar';
  return book.bucket(onBar ? signal.tsEvent - 1 : signal.tsEvent);
}

export function markerOf(signal, start) {
  const buy = signal.side === 'buy';
  return {
    time: seconds(start),
    position: buy ? 'belowBar' : 'aboveBar',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: buy ? COLORS.buy : COLORS.sell,
    text: signal.strategy,
  };
}

/** One marker per candle and side: its strategies once each, `×n` when one decided more than once there. */
export function signalMarkers(signals, book) {
  const groups = new Map();
  for (const signal of signals) {
    const start = signalBucketTime(signal, book);
    if (!book.has(start)) continue;
    const key = `${start}:${signal.side}`;
    const group = groups.get(key) ?? { start, signal, strategies: new Map() };
    group.strategies.set(signal.strategy, (group.strategies.get(signal.strategy) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ start, signal, strategies }) => ({
    ...markerOf(signal, start),
    text: [...strategies].map(([strategy, count]) => (count > 1 ? `${strategy} ×${count}` : strategy)).join(' + '),
  }));
}

/** The candlestick chart with its VWAP line and signal markers, kept in step with a CandleBook. */
export class CandleChart {
  #container;
  #chart;
  #candles;
  #vwap;
  #markers;
  #signalMarkers = [];
  #fillMarkers = [];
  #times = new Set();
  #lastTime = -Infinity;

  constructor(container) {
    this.#container = container;
    const { createChart, CandlestickSeries, LineSeries, createSeriesMarkers, CrosshairMode, LineStyle } = LightweightCharts;
    this.#chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: 'solid', color: COLORS.background },
        textColor: COLORS.text,
        fontFamily: 'inherit',
        fontSize: 11,
        // The library's logo injects a <style> element, which the page's CSP refuses; the page credits
        // TradingView itself (index.html), as the library's licence asks.
        attributionLogo: false,
      },
      grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: COLORS.border, scaleMargins: { top: 0.12, bottom: 0.08 } },
      timeScale: {
        borderColor: COLORS.border,
        timeVisible: true,
        secondsVisible: true,
        rightOffset: 6,
        barSpacing: 12,
        tickMarkFormatter: (time, type) => (type <= 2 ? localDay.format(new Date(time * 1000)) : localTime.format(new Date(time * 1000))),
      },
      localization: { timeFormatter: (time) => `${localDay.format(new Date(time * 1000))} ${localTime.format(new Date(time * 1000))}` },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderUpColor: COLORS.up,
      borderDownColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
    });
    this.#vwap = this.#chart.addSeries(LineSeries, {
      color: COLORS.vwap,
      lineWidth: 2,
      lineStyle: LineStyle.Solid,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
      title: 'VWAP',
    });
    this.#markers = createSeriesMarkers(this.#candles, []);
    // Zooming or scrolling moves the markers closer or apart: which labels fit changes with it.
    this.#chart.timeScale().subscribeVisibleLogicalRangeChange(() => this.#drawMarkers());
  }


  /** Everything anew: a new symbol or interval, or REST history merged in; `frame` shows the latest candles. */
  reset(book, { frame = false } = {}) {
    const all = book.candles();
    const last = all[all.length - 1];
    if (last) {
      const precision = precisionOf(last.close);
      this.#candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
      this.#vwap.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    }
    this.#candles.setData(all.map(candlePoint));
    this.#vwap.setData(all.map(vwapPoint));
    this.#times = new Set(all.map((candle) => seconds(candle.start)));
    this.#lastTime = last ? seconds(last.start) : -Infinity;
    // Not fitContent: a fit to a handful of bars leaves a bar spacing at which the next ones fall off the edge.
    if (frame) this.#chart.timeScale().scrollToRealTime();
  }

  /** The candles whose starts are in `starts` changed: updates in place where the library allows it. */
  refresh(book, starts) {
    const changed = [...starts].sort((a, b) => a - b);
    if (changed.some((start) => !this.#times.has(seconds(start)) && seconds(start) < this.#lastTime)) {
      // A candle inserted before the newest one: the library only appends, so set the data again.
      this.reset(book);
      return;
    }
    for (const start of changed) {
      const candle = book.get(start);
      if (!candle) continue;
      const time = seconds(start);
      const historical = time < this.#lastTime;
      this.#candles.update(candlePoint(candle), historical);
      this.#vwap.update(vwapPoint(candle), historical);
      this.#times.add(time);
      this.#lastTime = Math.max(this.#lastTime, time);
    }
  }

  /** Markers for the selected symbol's signals that have a candle on the chart. Returns how many signals they show. */
  setSignals(signals, book) {
    this.#signalMarkers = signalMarkers(signals, book);
    this.#drawMarkers();
    return signals.filter((signal) => book.has(signalBucketTime(signal, book))).length;
  }

  /** The paper account's fills on the selected symbol (fill-markers.js builds them), next to the signals. */
  setFills(markers) {
    this.#fillMarkers = markers;
    this.#drawMarkers();
    return markers.length;
  }

  /** The chart's `data-label-room`: the least room in pixels between two labels on one side (`Infinity`: fewer than two). */
  #drawMarkers() {
    const all = [...this.#signalMarkers, ...this.#fillMarkers].sort((a, b) => a.time - b.time);
    const timeScale = this.#chart.timeScale();
    const { markers, room } = fitLabels(all, (time) => timeScale.timeToCoordinate(time));
    this.#container.dataset.labelRoom = String(room);
    this.#markers.setMarkers(markers);
  }
}
