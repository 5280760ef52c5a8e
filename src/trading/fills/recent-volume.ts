/**
 * The volume printed at each price of one symbol in the last `lookbackMs` of event time, for
 * estimating the queue ahead of a limit order when it starts working.
 *
 * Counted in buckets of event time (`bucketMs`, a sixtieth of the lookback: 1 s of the default 60 s),
 * so the state is bounded by buckets × prices, not by the trade rate: a print counts from the newest
 * bucket back `lookbackMs` whole, i.e. for at least `lookbackMs` and less than `lookbackMs + bucketMs`.
 * The window follows the newest bucket seen; a print older than the window is not counted.
 *
 * What was added since the last `takeChange` is kept apart, so a store can append it instead of
 * rewriting the whole window on every commit.
 */
export class RecentVolume {
  readonly lookbackMs: number;
  readonly bucketMs: number;
  /** Buckets behind the newest one that are still in the window. */
  readonly #span: number;
  /** Oldest first; prices and sizes as fixed-point counts in numbers (`fixedCount`): a print adds no bigint. */
  readonly #buckets: { readonly index: number; readonly volume: Map<number, number> }[] = [];
  readonly #byPrice = new Map<number, number>();
  /** Added since the last `takeChange`, by bucket index, then price; kept only once a change was first taken (a backtest never does). */
  #added = new Map<number, Map<number, number>>();
  #tracking = false;

  constructor(lookbackMs: number) {
    this.lookbackMs = lookbackMs;
    this.bucketMs = Math.max(1, Math.ceil(lookbackMs / 60));
    this.#span = Math.ceil(lookbackMs / this.bucketMs);
  }

  add(tsEvent: number, price: bigint, size: bigint): void {
    this.addCounts(tsEvent, Number(price), Number(size));
  }

  /** `add` with price and size as `fixedCount`s. */
  addCounts(tsEvent: number, price: number, size: number): void {
    const index = this.#count(tsEvent, price, size);
    if (index === null || !this.#tracking) return;
    let added = this.#added.get(index);
    if (!added) this.#added.set(index, (added = new Map()));
    added.set(price, (added.get(price) ?? 0) + size);
  }

  /** `entries` saved earlier, added back without counting them as a change. */
  load(entries: Iterable<readonly [number, bigint, bigint]>): void {
    this.#track();
    for (const [ts, price, size] of entries) this.#count(ts, Number(price), Number(size));
  }

  /**
   * What was added since the last call, as `[bucket start, price, size]` increments in the order first
   * added, and the start of the oldest bucket still in the window: appending the increments and
   * forgetting what starts before `keepFrom` keeps a stored copy equal to `entries`. Null when nothing was added.
   */
  takeChange(): { readonly keepFrom: number; readonly added: [number, bigint, bigint][] } | null {
    this.#track();
    if (this.#added.size === 0) return null;
    const added: [number, bigint, bigint][] = [];
    for (const [index, volume] of this.#added) for (const [price, size] of volume) added.push([index * this.bucketMs, BigInt(price), BigInt(size)]);
    this.#added = new Map();
    return { keepFrom: this.#buckets[0]!.index * this.bucketMs, added };
  }

  at(price: bigint): bigint {
    return BigInt(this.#byPrice.get(Number(price)) ?? 0);
  }

  /** `[bucket start, price, size]` oldest first, for saving; `add`ing them back restores the same state. */
  entries(): [number, bigint, bigint][] {
    const out: [number, bigint, bigint][] = [];
    for (const { index, volume } of this.#buckets) for (const [price, size] of volume) out.push([index * this.bucketMs, BigInt(price), BigInt(size)]);
    return out;
  }

  /** From the first change on; what was counted before is the first change's. */
  #track(): void {
    if (this.#tracking) return;
    this.#tracking = true;
    for (const { index, volume } of this.#buckets) this.#added.set(index, new Map(volume));
  }

  /** The bucket the print was counted in, or null when it is not counted (no size, or older than the window). */
  #count(tsEvent: number, price: number, size: number): number | null {
    if (!(size > 0)) return null;
    const index = Math.floor(tsEvent / this.bucketMs);
    const newest = this.#buckets.at(-1)?.index ?? Number.NEGATIVE_INFINITY;
    if (index < newest - this.#span) return null;
    const bucket = this.#bucket(index);
    bucket.set(price, (bucket.get(price) ?? 0) + size);
    this.#byPrice.set(price, (this.#byPrice.get(price) ?? 0) + size);
    if (index > newest) this.#trim(index - this.#span);
    return index;
  }

  #bucket(index: number): Map<number, number> {
    let at = this.#buckets.length;
    while (at > 0 && this.#buckets[at - 1]!.index > index) at--;
    const before = this.#buckets[at - 1];
    if (before?.index === index) return before.volume;
    const volume = new Map<number, number>();
    this.#buckets.splice(at, 0, { index, volume });
    return volume;
  }

  #trim(oldestIndex: number): void {
    let expired = 0;
    while (expired < this.#buckets.length && this.#buckets[expired]!.index < oldestIndex) {
      for (const [price, size] of this.#buckets[expired]!.volume) {
        const left = this.#byPrice.get(price)! - size;
        if (left === 0) this.#byPrice.delete(price);
        else this.#byPrice.set(price, left);
      }
      this.#added.delete(this.#buckets[expired]!.index);
      expired++;
    }
    if (expired > 0) this.#buckets.splice(0, expired);
  }
}
