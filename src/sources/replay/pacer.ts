import { setTimeout as sleep } from 'node:timers/promises';

/** Time for pacing a replay; injected so tests run paced replays without waiting. */
export interface ReplayTimer {
  /** Monotonic ms. */
  now(): number;
  /** Resolves after `ms`, or early (without rejecting) once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemTimer: ReplayTimer = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

/** `'max'`: as fast as the sink accepts; a number: that many times real time (1 = as recorded). */
export type ReplaySpeed = 'max' | number;

/**
 * When each record is due: the first record at once, every later one when the timer has moved by
 * (its event time − the first record's) / speed. Due times are measured from the start rather than
 * from the previous record, so time spent in the sink does not add up to drift. Records with an
 * earlier event time than the first (out-of-order archives) are due at once.
 */
export class Pacer {
  readonly #speed: ReplaySpeed;
  readonly #timer: ReplayTimer;
  #firstEvent: number | null = null;
  #startedAt = 0;

  constructor(speed: ReplaySpeed, timer: ReplayTimer) {
    this.#speed = speed;
    this.#timer = timer;
  }

  /** How long (ms) to wait before emitting a record with this event time; 0 when it is due. */
  delayFor(tsEvent: number): number {
    if (this.#speed === 'max') return 0;
    if (this.#firstEvent === null) {
      this.#firstEvent = tsEvent;
      this.#startedAt = this.#timer.now();
      return 0;
    }
    const due = this.#startedAt + (tsEvent - this.#firstEvent) / this.#speed;
    const delay = due - this.#timer.now();
    // Timers have millisecond resolution: a shorter wait is not worth a separate batch.
    return delay >= 1 ? delay : 0;
  }
}
