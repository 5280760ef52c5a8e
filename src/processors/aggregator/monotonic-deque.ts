/**
 * Sliding-window minimum or maximum in O(1) amortized: a deque of (position, value) whose values are
 * monotonic from front to back. A new value first removes every value behind it that it dominates,
 * since those can never be the extreme again while it is in the window; the front is the extreme.
 * Holds at most `capacity` entries (the window length), in fixed arrays: no allocation per trade.
 */
export class MonotonicDeque {
  readonly #positions: Float64Array;
  readonly #values: Float64Array;
  readonly #capacity: number;
  /** `true`: the front is the maximum; `false`: the minimum. */
  readonly #max: boolean;
  #head = 0;
  #size = 0;

  constructor(capacity: number, kind: 'min' | 'max') {
    this.#capacity = capacity;
    this.#positions = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
    this.#max = kind === 'max';
  }

  get size(): number {
    return this.#size;
  }

  /** The window's extreme; `NaN` when empty. */
  front(): number {
    return this.#size === 0 ? Number.NaN : this.#values[this.#head]!;
  }

  /** Adds the value at `position` (positions must increase from call to call). */
  push(position: number, value: number): void {
    while (this.#size > 0) {
      const back = this.#values[this.#slot(this.#size - 1)]!;
      if (this.#max ? back > value : back < value) break;
      this.#size--;
    }
    // Entries are distinct positions inside the window, so `size < capacity` here once the caller
    // evicted the position that left the window; guard anyway rather than overwrite the front.
    if (this.#size === this.#capacity) this.#popFront();
    const slot = this.#slot(this.#size);
    this.#positions[slot] = position;
    this.#values[slot] = value;
    this.#size++;
  }

  /** Forgets every entry at or before `position` (the trade that just left the window). */
  evictThrough(position: number): void {
    while (this.#size > 0 && this.#positions[this.#head]! <= position) this.#popFront();
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }

  #popFront(): void {
    this.#head = (this.#head + 1) % this.#capacity;
    this.#size--;
  }

  #slot(offset: number): number {
    return (this.#head + offset) % this.#capacity;
  }
}
