/**
 * Finnhub's REST limits per key: calls per minute (60 on the free plan) and per second (30 on every
 * plan). Sliding windows over the times of accepted calls.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #perMinute: number;
  readonly #calls = new Map<string, number[]>();

  constructor(perSecond: number, perMinute: number) {
    this.#perSecond = perSecond;
    this.#perMinute = perMinute;
  }

  /** Records a call by `key` at `now` and says whether it is within the limits. */
  allow(key: string, now: number): boolean {
    const calls = (this.#calls.get(key) ?? []).filter((at) => at > now - 60_000);
    this.#calls.set(key, calls);
    const lastSecond = calls.filter((at) => at > now - 1_000).length;
    if (lastSecond >= this.#perSecond || calls.length >= this.#perMinute) return false;
    calls.push(now);
    return true;
  }
}
