import type { Bar, BarInterval } from '../../model/bar.ts';
import type { SignalInput } from '../../model/signal.ts';
import { movingAverageState, type MovingAverageKind, type MovingAverageState } from '../../indicators/moving-average.ts';
import { clamp01, formatNumber, type Decision, type Strategy } from './strategy.ts';

export interface MaCrossoverOptions {
  readonly kind: MovingAverageKind;
  readonly fast: number;
  readonly slow: number;
  readonly interval: BarInterval;
  /** The gap |fast − slow| / slow, in percent, that counts as strength 1. */
  readonly strengthScalePct: number;
}

/**
 * Fast/slow moving-average crossover over the closes of one bar interval (`SmaState`/`EmaState` of
 * `src/indicators/moving-average.ts`, so EMA is seeded with the SMA of the first values). Buys on the bar
 * where fast goes above slow, sells on the bar where it goes below; nothing while it stays on one
 * side. "Side" is that of the last bar where the two differed, so touching (fast = slow) and going
 * back is no crossing. The first bar with both averages only sets the side: it crossed nothing.
 */
export class MaCrossover implements Strategy {
  readonly name = 'ma-crossover';
  readonly #options: MaCrossoverOptions;
  readonly #fast: MovingAverageState;
  readonly #slow: MovingAverageState;
  #above: boolean | null = null;
  #previous: SignalInput | null = null;

  constructor(options: MaCrossoverOptions) {
    this.#options = options;
    this.#fast = movingAverageState(options.kind, options.fast);
    this.#slow = movingAverageState(options.kind, options.slow);
  }

  onBar(bar: Bar, input: SignalInput): Decision | null {
    if (bar.interval !== this.#options.interval) return null;
    const fast = this.#fast.push(bar.close);
    const slow = this.#slow.push(bar.close);
    const previous = this.#previous;
    this.#previous = input;
    if (fast === null || slow === null || fast === slow) return null;
    const above = fast > slow;
    const crossed = this.#above !== null && above !== this.#above;
    this.#above = above;
    if (!crossed) return null;
    const label = this.#options.kind.toUpperCase();
    const gapPct = (Math.abs(fast - slow) / slow) * 100;
    return {
      side: above ? 'buy' : 'sell',
      strength: clamp01(gapPct / this.#options.strengthScalePct),
      price: bar.close,
      reason: `${label}(${this.#options.fast}) ${formatNumber(fast)} crossed ${above ? 'above' : 'below'} ${label}(${this.#options.slow}) ${formatNumber(slow)} at ${formatNumber(bar.close)}`,
      // The bar before is the other half of the crossing (fast was on the other side, or equal, there).
      lineage: previous ? [previous, input] : [input],
    };
  }
}
