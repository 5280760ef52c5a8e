/**
 * Simple and exponential moving averages over the last `window` values, as pure functions over an
 * array and as incremental state (one `push` per new value) for the stream processor. The array
 * functions run the incremental state, so one implementation is tested both ways.
 *
 * Conventions (those of TA-Lib's default and StockCharts' ChartSchool, not Tulip Indicators, whose
 * `ema` starts from the first value):
 * - Both produce nothing until `window` values have arrived; the first output belongs to value
 *   number `window`, so an array of n values yields max(0, n − window + 1) outputs.
 * - SMA_t = mean of the last `window` values.
 * - EMA is seeded with the SMA of the first `window` values, then EMA_t = EMA_{t−1} + α·(x_t − EMA_{t−1})
 *   with α = 2 / (window + 1).
 */
export type MovingAverageKind = 'sma' | 'ema';
export const MOVING_AVERAGE_KINDS: readonly MovingAverageKind[] = ['sma', 'ema'];

/** One computed average of one symbol, as the store keeps it. */
export interface MovingAverageRow {
  readonly symbol: string;
  readonly kind: MovingAverageKind;
  readonly window: number;
  /** Time of the value that completed this average, Unix ms. */
  readonly ts: number;
  readonly value: number;
}

export interface MovingAverageState {
  readonly kind: MovingAverageKind;
  readonly window: number;
  /** Adds the next value; returns the average after it, or `null` while fewer than `window` values arrived. */
  push(value: number): number | null;
  /** An independent copy, so a batch can be computed on a copy and dropped if it cannot be saved. */
  clone(): MovingAverageState;
}

export function assertWindow(window: number): void {
  if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`moving-average window must be an integer ≥ 1, got ${window}`);
}

/**
 * Running sum over a ring buffer: O(1) per value. The sum is recomputed from the buffer each time
 * the ring wraps around, so rounding error from adding and subtracting cannot build up.
 */
export class SmaState implements MovingAverageState {
  readonly kind = 'sma';
  readonly window: number;
  #values: number[] = [];
  #next = 0;
  #sum = 0;

  constructor(window: number) {
    assertWindow(window);
    this.window = window;
  }

  push(value: number): number | null {
    if (this.#values.length < this.window) {
      this.#values.push(value);
      this.#sum += value;
    } else {
      this.#sum += value - (this.#values[this.#next] as number);
      this.#values[this.#next] = value;
      this.#next = (this.#next + 1) % this.window;
      if (this.#next === 0) this.#sum = this.#values.reduce((total, v) => total + v, 0);
    }
    return this.#values.length < this.window ? null : this.#sum / this.window;
  }

  clone(): SmaState {
    const copy = new SmaState(this.window);
    copy.#values = [...this.#values];
    copy.#next = this.#next;
    copy.#sum = this.#sum;
    return copy;
  }
}

export class EmaState implements MovingAverageState {
  readonly kind = 'ema';
  readonly window: number;
  readonly #alpha: number;
  /** Sum of the first values while the seed is being built. */
  #seedSum = 0;
  #count = 0;
  #ema: number | null = null;

  constructor(window: number) {
    assertWindow(window);
    this.window = window;
    this.#alpha = 2 / (window + 1);
  }

  push(value: number): number | null {
    if (this.#ema !== null) {
      this.#ema += this.#alpha * (value - this.#ema);
      return this.#ema;
    }
    this.#seedSum += value;
    this.#count++;
    if (this.#count < this.window) return null;
    this.#ema = this.#seedSum / this.window;
    return this.#ema;
  }

  clone(): EmaState {
    const copy = new EmaState(this.window);
    copy.#seedSum = this.#seedSum;
    copy.#count = this.#count;
    copy.#ema = this.#ema;
    return copy;
  }
}

export function movingAverageState(kind: MovingAverageKind, window: number): MovingAverageState {
  return kind === 'sma' ? new SmaState(window) : new EmaState(window);
}

function run(state: MovingAverageState, values: readonly number[]): number[] {
  const out: number[] = [];
  for (const value of values) {
    const average = state.push(value);
    if (average !== null) out.push(average);
  }
  return out;
}

/** SMA of every run of `window` consecutive values: `out[i]` averages `values[i … i + window − 1]`. */
export function sma(values: readonly number[], window: number): number[] {
  return run(new SmaState(window), values);
}

/** EMA seeded with the SMA of the first `window` values: `out[0]` is that SMA, `out[i]` belongs to `values[i + window − 1]`. */
export function ema(values: readonly number[], window: number): number[] {
  return run(new EmaState(window), values);
}
