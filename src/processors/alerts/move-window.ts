/**
 * The trades of the last `windowMs` of event time, for `move-pct`: the window is
 * (latest − windowMs, latest], `latest` the highest event time seen. Trades arrive out of order, so
 * each goes to its place by event time (late ones land near the end: cheap); one older than the
 * window is ignored.
 */
export class MoveWindow {
  readonly #windowMs: number;
  #ts: number[] = [];
  #prices: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  get size(): number {
    return this.#ts.length - this.#head;
  }

  /** Adds a trade; false when it is older than the window (nothing changed). */
  add(tsEvent: number, price: number): boolean {
    const latest = this.size > 0 ? this.#ts[this.#ts.length - 1]! : tsEvent;
    if (tsEvent <= latest - this.#windowMs) return false;
    let at = this.#ts.length;
    while (at > this.#head && this.#ts[at - 1]! > tsEvent) at--;
    this.#ts.splice(at, 0, tsEvent);
    this.#prices.splice(at, 0, price);
    this.#evict();
    return true;
  }

  /** Price of the earliest trade in the window, by event time. */
  get first(): number | undefined {
    return this.size > 0 ? this.#prices[this.#head] : undefined;
  }

  /** Price of the latest trade in the window, by event time. */
  get last(): number | undefined {
    return this.size > 0 ? this.#prices[this.#prices.length - 1] : undefined;
  }

  #evict(): void {
    const start = this.#ts[this.#ts.length - 1]! - this.#windowMs;
    while (this.#head < this.#ts.length && this.#ts[this.#head]! <= start) this.#head++;
    if (this.#head > 1_024 && this.#head * 2 > this.#ts.length) {
      this.#ts = this.#ts.slice(this.#head);
      this.#prices = this.#prices.slice(this.#head);
      this.#head = 0;
    }
  }
}
