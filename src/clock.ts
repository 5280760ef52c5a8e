/** Time as components see it. Injected so that replay and tests control it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for replay and tests. Never moves backwards. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advanceTo(ms: number): void {
    if (ms > this.#now) this.#now = ms;
  }
}
