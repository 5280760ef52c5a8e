import type { WindowMetrics } from '../../model/metrics.ts';
import { clamp01, formatNumber, type Decision, type Strategy } from './strategy.ts';

export interface VwapDeviationOptions {
  /** |last − vwap| / vwap, in percent, beyond which the price is out of line. */
  readonly thresholdPct: number;
}

/**
 * Mean reversion on the aggregator's window metrics: when the last price is more than `thresholdPct`
 * above the window's VWAP, sell; below it, buy. Once per excursion: it re-arms when the price is back
 * within the threshold (or beyond it on the other side, which is a new excursion). Metrics without a
 * VWAP (no volume: forex price updates) are skipped and leave the state as it was.
 * Strength: 0.5 at the threshold, 1 at twice it.
 */
export class VwapDeviation implements Strategy {
  readonly name = 'vwap-deviation';
  readonly #thresholdPct: number;
  #excursion: 'above' | 'below' | null = null;

  constructor(options: VwapDeviationOptions) {
    this.#thresholdPct = options.thresholdPct;
  }

  onMetrics(metrics: WindowMetrics): Decision | null {
    const { vwap, last } = metrics;
    if (vwap === null || !(vwap > 0)) return null;
    const deviationPct = ((last - vwap) / vwap) * 100;
    const excursion = deviationPct > this.#thresholdPct ? 'above' : deviationPct < -this.#thresholdPct ? 'below' : null;
    const fired = excursion !== null && excursion !== this.#excursion;
    this.#excursion = excursion;
    if (!fired) return null;
    return {
      side: excursion === 'above' ? 'sell' : 'buy',
      strength: clamp01(Math.abs(deviationPct) / (2 * this.#thresholdPct)),
      price: last,
      reason: `last ${formatNumber(last)} is ${formatNumber(Math.abs(deviationPct))}% ${excursion} the ${metrics.count}-trade VWAP ${formatNumber(vwap)} (threshold ${this.#thresholdPct}%)`,
    };
  }
}
