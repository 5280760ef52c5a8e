import type { WindowMetrics } from '../../model/metrics.ts';
import type { Trade } from '../../model/trade.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { RunningSum } from './running-sum.ts';

export interface SymbolWindowSnapshot {
  /** The window's trades, oldest first (three parallel lists). */
  readonly prices: readonly number[];
  readonly sizes: readonly number[];
  readonly times: readonly number[];
  /** Receive time of the newest trade added. */
  readonly lastRecv: number;
  /** Running sums of price, size and price×size as [value, churn] (see RunningSum). */
  readonly sums: readonly [readonly [number, number], readonly [number, number], readonly [number, number]];
}

/**
 * The last `capacity` trades of one symbol in arrival order, in a ring buffer, with running sums
 * (price, size, price×size) and monotonic deques for the price and event-time extremes: adding a
 * trade and reading the metrics are O(1) amortized.
 */
export class SymbolWindow {
  readonly symbol: string;
  readonly capacity: number;
  readonly #prices: Float64Array;
  readonly #sizes: Float64Array;
  readonly #times: Float64Array;
  /** Position (count of trades ever added) of the next trade; slot = position % capacity. */
  #next = 0;
  #count = 0;
  readonly #sumPrice = new RunningSum();
  readonly #sumSize = new RunningSum();
  readonly #sumNotional = new RunningSum();
  /**
   * Trades in the window with size > 0. Exact (an integer), so "the window has no volume" never
   * depends on a running float sum landing on exactly 0 after forex trades (size 0) pushed out the rest.
   */
  #sized = 0;
  readonly #minPrice: MonotonicDeque;
  readonly #maxPrice: MonotonicDeque;
  readonly #minTime: MonotonicDeque;
  readonly #maxTime: MonotonicDeque;
  #lastRecv = 0;

  constructor(symbol: string, capacity: number) {
    this.symbol = symbol;
    this.capacity = capacity;
    this.#prices = new Float64Array(capacity);
    this.#sizes = new Float64Array(capacity);
    this.#times = new Float64Array(capacity);
    this.#minPrice = new MonotonicDeque(capacity, 'min');
    this.#maxPrice = new MonotonicDeque(capacity, 'max');
    this.#minTime = new MonotonicDeque(capacity, 'min');
    this.#maxTime = new MonotonicDeque(capacity, 'max');
  }

  get count(): number {
    return this.#count;
  }

  add(trade: Trade): void {
    if (this.#count === this.capacity) this.#evictOldest();
    const { price, size, tsEvent } = trade;
    this.#place(price, size, tsEvent);
    this.#sumPrice.add(price);
    this.#sumSize.add(size);
    this.#sumNotional.add(price * size);
    this.#lastRecv = trade.tsRecv;
    if (this.#sumPrice.needsRebase() || this.#sumSize.needsRebase() || this.#sumNotional.needsRebase()) this.#rebase();
  }

  /**
   * The window as data: its trades oldest first and the running sums with their rounding history,
   * so that a window restored from it yields bit-identical metrics to the one saved, also later on.
   */
  snapshot(): SymbolWindowSnapshot {
    const prices: number[] = [];
    const sizes: number[] = [];
    const times: number[] = [];
    for (let position = this.#next - this.#count; position < this.#next; position++) {
      const slot = position % this.capacity;
      prices.push(this.#prices[slot]!);
      sizes.push(this.#sizes[slot]!);
      times.push(this.#times[slot]!);
    }
    return { prices, sizes, times, lastRecv: this.#lastRecv, sums: [this.#sumPrice.save(), this.#sumSize.save(), this.#sumNotional.save()] };
  }

  /**
   * The window a snapshot describes. With a smaller capacity than when it was saved, only the newest
   * trades are kept and the sums are recomputed from them.
   */
  static restore(symbol: string, capacity: number, snapshot: SymbolWindowSnapshot): SymbolWindow {
    const window = new SymbolWindow(symbol, capacity);
    const total = snapshot.prices.length;
    const kept = Math.min(capacity, total);
    for (let index = total - kept; index < total; index++) window.#place(snapshot.prices[index]!, snapshot.sizes[index]!, snapshot.times[index]!);
    window.#lastRecv = snapshot.lastRecv;
    if (kept === total) {
      window.#sumPrice.restore(snapshot.sums[0]);
      window.#sumSize.restore(snapshot.sums[1]);
      window.#sumNotional.restore(snapshot.sums[2]);
    } else window.#rebase();
    return window;
  }

  /** Stores a trade in the next slot and the extremes' deques; the caller keeps the sums. */
  #place(price: number, size: number, tsEvent: number): void {
    const position = this.#next++;
    const slot = position % this.capacity;
    this.#prices[slot] = price;
    this.#sizes[slot] = size;
    this.#times[slot] = tsEvent;
    this.#count++;
    if (size > 0) this.#sized++;
    this.#minPrice.push(position, price);
    this.#maxPrice.push(position, price);
    this.#minTime.push(position, tsEvent);
    this.#maxTime.push(position, tsEvent);
  }

  /** Empties the window (after a gap: a window never spans trades that may be missing). */
  clear(): void {
    this.#count = 0;
    this.#sized = 0;
    this.#sumPrice.rebase(0);
    this.#sumSize.rebase(0);
    this.#sumNotional.rebase(0);
    this.#minPrice.clear();
    this.#maxPrice.clear();
    this.#minTime.clear();
    this.#maxTime.clear();
  }

  /** Metrics over the window; `null` while it is empty. `tsRecv` is that of the newest trade. */
  metrics(): WindowMetrics | null {
    if (this.#count === 0) return null;
    const min = this.#minPrice.front();
    const max = this.#maxPrice.front();
    const first = this.#prices[(this.#next - this.#count) % this.capacity]!;
    const last = this.#prices[(this.#next - 1) % this.capacity]!;
    const volume = this.#sized === 0 ? 0 : this.#sumSize.value;
    // Each mean lies within [min, max] mathematically; clamping removes the last-bit rounding
    // that could otherwise put it a hair outside (e.g. every price equal).
    const vwap = this.#sized === 0 ? null : clamp(this.#sumNotional.value / volume, min, max);
    return {
      type: 'window-metrics',
      symbol: this.symbol,
      window: this.capacity,
      count: this.#count,
      vwap,
      avg: clamp(this.#sumPrice.value / this.#count, min, max),
      min,
      max,
      first,
      last,
      changePct: first === 0 ? 0 : ((last - first) / first) * 100,
      volume,
      tsStart: this.#minTime.front(),
      tsEvent: this.#maxTime.front(),
      tsRecv: this.#lastRecv,
    };
  }

  #evictOldest(): void {
    const position = this.#next - this.#count;
    const slot = position % this.capacity;
    const price = this.#prices[slot]!;
    const size = this.#sizes[slot]!;
    this.#sumPrice.remove(price);
    this.#sumSize.remove(size);
    this.#sumNotional.remove(price * size);
    if (size > 0) this.#sized--;
    this.#minPrice.evictThrough(position);
    this.#maxPrice.evictThrough(position);
    this.#minTime.evictThrough(position);
    this.#maxTime.evictThrough(position);
    this.#count--;
  }

  /** Recomputes the sums exactly from the window (see RunningSum for when and why). */
  #rebase(): void {
    let sumPrice = 0;
    let sumSize = 0;
    let sumNotional = 0;
    for (let position = this.#next - this.#count; position < this.#next; position++) {
      const slot = position % this.capacity;
      sumPrice += this.#prices[slot]!;
      sumSize += this.#sizes[slot]!;
      sumNotional += this.#prices[slot]! * this.#sizes[slot]!;
    }
    this.#sumPrice.rebase(sumPrice);
    this.#sumSize.rebase(sumSize);
    this.#sumNotional.rebase(sumNotional);
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
