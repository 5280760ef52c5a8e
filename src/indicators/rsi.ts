/**
 * Relative Strength Index (Wilder 1978) as incremental state, one `push` per closing price.
 *
 * Convention (Wilder's, as in TA-Lib's `RSI` and Tulip Indicators' `rsi`):
 * - The change of value t is d_t = x_t − x_{t−1}; gain_t = max(d_t, 0), loss_t = max(−d_t, 0).
 * - The averages are seeded with the simple mean of the first `period` gains and losses, so the first
 *   RSI belongs to value number `period + 1`: n values yield max(0, n − period) outputs.
 * - Then Wilder's smoothing: avg_t = (avg_{t−1} · (period − 1) + x_t) / period (an EMA with α = 1/period).
 * - RSI = 100 − 100 / (1 + avgGain / avgLoss); with no loss it is exactly 100 (a series that only
 *   rises), with no gain exactly 0 (one that only falls).
 * - A flat series (both averages 0) gives 50, neutral (Tulip divides 0 by 0 there; TA-Lib gives 0).
 */
export class RsiState {
  readonly period: number;
  #previous: number | null = null;
  /** Changes seen while the seed is built, up to `period`. */
  #count = 0;
  #avgGain = 0;
  #avgLoss = 0;

  constructor(period: number) {
    if (!Number.isSafeInteger(period) || period < 1) throw new RangeError(`RSI period must be an integer ≥ 1, got ${period}`);
    this.period = period;
  }

  /** Adds the next value; returns the RSI after it, or `null` while fewer than `period + 1` values arrived. */
  push(value: number): number | null {
    const previous = this.#previous;
    this.#previous = value;
    if (previous === null) return null;
    const change = value - previous;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (this.#count < this.period) {
      // Seed: sums first, divided once the `period`-th change arrived.
      this.#avgGain += gain;
      this.#avgLoss += loss;
      this.#count++;
      if (this.#count < this.period) return null;
      this.#avgGain /= this.period;
      this.#avgLoss /= this.period;
    } else {
      this.#avgGain = (this.#avgGain * (this.period - 1) + gain) / this.period;
      this.#avgLoss = (this.#avgLoss * (this.period - 1) + loss) / this.period;
    }
    if (this.#avgLoss === 0) return this.#avgGain === 0 ? 50 : 100;
    // In [0, 100) by construction: 100 / (1 + RS) lies in (0, 100].
    return 100 - 100 / (1 + this.#avgGain / this.#avgLoss);
  }

  clone(): RsiState {
    const copy = new RsiState(this.period);
    copy.#previous = this.#previous;
    copy.#count = this.#count;
    copy.#avgGain = this.#avgGain;
    copy.#avgLoss = this.#avgLoss;
    return copy;
  }
}

/** RSI of a whole series: `out[i]` belongs to `values[i + period]` (runs `RsiState`). */
export function rsi(values: readonly number[], period: number): number[] {
  const state = new RsiState(period);
  const out: number[] = [];
  for (const value of values) {
    const next = state.push(value);
    if (next !== null) out.push(next);
  }
  return out;
}
