import type { BacktestResult, PriceBar } from '../backtest-result.ts';
import type { Fill } from '../../model/fill.ts';
import { formatFixed, parseFixed } from '../../model/fixed-point.ts';
import { drawdownSeries, type ValueAt } from './drawdown.ts';

/** A chart point as lightweight-charts takes it: time in Unix seconds, strictly increasing. */
export interface ChartPoint {
  readonly time: number;
  readonly value: number;
}

export interface FillMarker {
  readonly time: number;
  readonly side: 'buy' | 'sell';
  readonly text: string;
}

export interface PriceChart {
  readonly symbol: string;
  readonly bars: readonly { time: number; open: number; high: number; low: number; close: number }[];
  readonly markers: readonly FillMarker[];
}

/** What the HTML report's script draws: embedded in the page as JSON. */
export interface PageData {
  readonly equity: readonly ChartPoint[];
  readonly benchmark: readonly ChartPoint[] | null;
  readonly drawdown: readonly ChartPoint[];
  readonly benchmarkDrawdown: readonly ChartPoint[] | null;
  readonly prices: readonly PriceChart[];
}

/** To Unix seconds, keeping the last value of samples that fall in the same second (the chart refuses repeated times). */
function chartPoints(samples: readonly ValueAt[]): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (const { time, value } of samples) {
    const seconds = Math.floor(time / 1000);
    if (points.at(-1)?.time === seconds) points.pop();
    points.push({ time: seconds, value });
  }
  return points;
}

/** The fills of `symbol` as markers on the bar they happened in: one per bar and side, quantities summed. */
export function fillMarkers(bars: readonly PriceBar[], fills: readonly Fill[], symbol: string): FillMarker[] {
  const groups = new Map<string, { time: number; side: 'buy' | 'sell'; qty: bigint }>();
  for (const fill of fills) {
    if (fill.symbol !== symbol) continue;
    const bar = bars.findLast((b) => b.time <= fill.transaction_time);
    if (!bar) continue;
    const key = `${bar.time}:${fill.side}`;
    const group = groups.get(key) ?? { time: Math.floor(bar.time / 1000), side: fill.side, qty: 0n };
    group.qty += parseFixed(fill.qty) ?? 0n;
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.time - b.time || a.side.localeCompare(b.side))
    .map(({ time, side, qty }) => ({ time, side, text: `${side === 'buy' ? 'B' : 'S'} ${formatFixed(qty)}` }));
}

export function pageData(result: BacktestResult): PageData {
  const start: ValueAt = { time: result.firstEventAt, value: Number(result.configuration.startingCash) };
  const equity = [start, ...result.equity.map((p) => ({ time: p.time, value: Number(p.equity) }))];
  const hasBenchmark = result.configuration.benchmark !== null && result.equity.some((p) => p.benchmark !== null);
  const benchmark = hasBenchmark ? [start, ...result.equity.flatMap((p) => (p.benchmark === null ? [] : [{ time: p.time, value: Number(p.benchmark) }]))] : null;
  const percentOf = (series: ValueAt[]) => drawdownSeries(series).map(({ time, value }) => ({ time, value: value * 100 }));
  return {
    equity: chartPoints(equity),
    benchmark: benchmark && chartPoints(benchmark),
    drawdown: chartPoints(percentOf(equity)),
    benchmarkDrawdown: benchmark && chartPoints(percentOf(benchmark)),
    prices: Object.keys(result.prices)
      .sort()
      .map((symbol) => {
        const bars = result.prices[symbol]!;
        return {
          symbol,
          bars: bars.map(({ time, open, high, low, close }) => ({ time: Math.floor(time / 1000), open, high, low, close })),
          markers: fillMarkers(bars, result.fills, symbol),
        };
      }),
  };
}
