/** What a client's message limit says about one more message. */
export type RateVerdict = 'accept' | 'refuse' | 'ignore' | 'close';

export interface MessageRateLimits {
  /** Messages a client may send per second, on average. */
  readonly perSecond: number;
  /** Messages it may send at once; also how many refused messages in a row end the connection. */
  readonly burst: number;
}

/**
 * A token bucket over one client's messages (subscribes, unsubscribes, pings, anything it sends).
 * Past the bucket, the first message is refused (the client is told), the next ones are ignored,
 * and the `burst`-th refused in a row closes the connection; a message accepted again (the client
 * slowed down) starts over.
 */
export class MessageRate {
  readonly #limits: MessageRateLimits;
  #tokens: number;
  #at: number;
  #refused = 0;

  constructor(limits: MessageRateLimits, now: number) {
    this.#limits = limits;
    this.#tokens = limits.burst;
    this.#at = now;
  }

  /** `now` in ms (performance.now()). */
  take(now: number): RateVerdict {
    const { perSecond, burst } = this.#limits;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#at) * perSecond) / 1000);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#refused = 0;
      return 'accept';
    }
    this.#refused++;
    if (this.#refused === 1) return 'refuse';
    return this.#refused >= burst ? 'close' : 'ignore';
  }
}
