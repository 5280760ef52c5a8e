import { nextClose } from '../calendar/calendar.ts';

const MINUTE = 60_000;

/**
 * When equity is sampled, on event time: at every minute boundary and at every close of the US
 * equity session (16:00 New York, 13:00 on early closes). Between two inputs far apart (a weekend,
 * a restart) only the closes in between and the last minute boundary are due, not every minute:
 * nothing moves equity while no print arrives. The service advances the engine to each boundary
 * before it samples, so a point's value does not depend on how prints were batched.
 */
export class EquityClock {
  /** Last boundary sampled; `null` before the first input. */
  #last: number | null;
  #nextClose: number | null = null;

  constructor(now: number) {
    this.#last = now > 0 ? Math.floor(now / MINUTE) * MINUTE : null;
    if (this.#last !== null) this.#nextClose = nextClose('us-equity', now);
  }

  /** The sample times due up to `ts` (inclusive), oldest first; each is reported once. */
  due(ts: number): number[] {
    const minute = Math.floor(ts / MINUTE) * MINUTE;
    if (this.#last === null) {
      this.#last = minute;
      this.#nextClose = nextClose('us-equity', ts);
      return [minute];
    }
    const times: number[] = [];
    while (this.#nextClose !== null && this.#nextClose <= ts) {
      if (this.#nextClose > this.#last) times.push(this.#nextClose);
      this.#nextClose = nextClose('us-equity', this.#nextClose);
    }
    if (minute > this.#last) times.push(minute);
    if (times.length === 0) return times;
    const unique = [...new Set(times)].sort((a, b) => a - b);
    this.#last = unique.at(-1)!;
    return unique;
  }
}
