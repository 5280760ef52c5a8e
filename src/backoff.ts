/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): the
 * delay is uniform in [0, min(max, base · 2^failures)). Spreading reconnects over the whole window
 * keeps many clients that lost the same server from reconnecting in lockstep.
 */
export function fullJitterDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 40));
  return Math.floor(random() * ceiling);
}

export interface RestartBackoffOptions {
  /** Ceiling of the delay after the first failure; it doubles with each further one in a row. */
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** Uniform in [0, 1); injectable so tests know the delay. */
  readonly random?: () => number;
}

export const RESTART_BACKOFF_DEFAULTS = { baseMs: 200, maxMs: 30_000 } as const;

/**
 * How long a supervisor waits before starting a failed component again. The delay grows with the
 * failures in a row, not with all failures ever: a component that recovered in between restarts as
 * quickly after its tenth failure of the day as after its first. `wait` ends early when its signal
 * aborts, so stopping never sits out a backoff.
 */
export class RestartBackoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #consecutive = 0;

  constructor(options: RestartBackoffOptions = {}) {
    this.#baseMs = options.baseMs ?? RESTART_BACKOFF_DEFAULTS.baseMs;
    this.#maxMs = options.maxMs ?? RESTART_BACKOFF_DEFAULTS.maxMs;
    this.#random = options.random ?? Math.random;
  }

  /** Failures since the last success. */
  get consecutiveFailures(): number {
    return this.#consecutive;
  }

  failed(): void {
    this.#consecutive++;
  }

  /** The component did useful work again: the next failure waits as little as the first. */
  succeeded(): void {
    this.#consecutive = 0;
  }

  /** The delay before the next restart. */
  nextDelayMs(): number {
    return fullJitterDelay(Math.max(0, this.#consecutive - 1), this.#baseMs, this.#maxMs, this.#random);
  }

  /** Waits `nextDelayMs()`, or until `signal` aborts; resolves either way, with the delay it drew. */
  wait(signal: AbortSignal): Promise<number> {
    const delay = this.nextDelayMs();
    if (signal.aborted) return Promise.resolve(delay);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve(delay);
      };
      const timer = setTimeout(done, delay);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
