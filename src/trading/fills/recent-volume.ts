/**
 * The volume printed at each price of one symbol in the last `lookbackMs` of event time (relative to
 * the newest print seen), for estimating the queue ahead of a limit order when it starts working.
 */
export class RecentVolume {
  readonly lookbackMs: number;
  // Prices and sizes as fixed-point counts in numbers (`fixedCount`): a print adds no bigint.
  #times: number[] = [];
  #prices: number[] = [];
  #sizes: number[] = [];
  #head = 0;
  #newest = Number.NEGATIVE_INFINITY;
  readonly #byPrice = new Map<number, number>();

  constructor(lookbackMs: number) {
    this.lookbackMs = lookbackMs;
  }

  add(tsEvent: number, price: bigint, size: bigint): void {
    this.addCounts(tsEvent, Number(price), Number(size));
  }

  /** `add` with price and size as `fixedCount`s. */
  addCounts(tsEvent: number, price: number, size: number): void {
    if (!(size > 0)) return;
    this.#times.push(tsEvent);
    this.#prices.push(price);
    this.#sizes.push(size);
    this.#byPrice.set(price, (this.#byPrice.get(price) ?? 0) + size);
    if (tsEvent > this.#newest) this.#newest = tsEvent;
    this.#trim();
  }

  at(price: bigint): bigint {
    return BigInt(this.#byPrice.get(Number(price)) ?? 0);
  }

  /** `[tsEvent, price, size]` oldest first, for saving. */
  entries(): [number, bigint, bigint][] {
    const out: [number, bigint, bigint][] = [];
    for (let i = this.#head; i < this.#times.length; i++) out.push([this.#times[i]!, BigInt(this.#prices[i]!), BigInt(this.#sizes[i]!)]);
    return out;
  }

  #trim(): void {
    const oldest = this.#newest - this.lookbackMs;
    while (this.#head < this.#times.length && this.#times[this.#head]! < oldest) {
      const price = this.#prices[this.#head]!;
      const left = this.#byPrice.get(price)! - this.#sizes[this.#head]!;
      if (left === 0) this.#byPrice.delete(price);
      else this.#byPrice.set(price, left);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#prices = this.#prices.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }
}
