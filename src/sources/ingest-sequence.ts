/**
 * Hands out ingest sequence numbers that are strictly increasing within a process and, as long as
 * the wall clock does not step backwards, across restarts too: each number is at least
 * `Date.now() * 1000`, so a later process starts above everything an earlier one handed out unless
 * that one averaged over a million trades per second. The values stay below 2^53 until the year 2255.
 */
export class IngestSequence {
  #last = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  next(): number {
    const floor = this.#now() * 1000;
    this.#last = this.#last < floor ? floor : this.#last + 1;
    return this.#last;
  }
}
