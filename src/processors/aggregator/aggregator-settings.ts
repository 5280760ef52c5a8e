import type { Clock } from '../../clock.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import { WINDOW_AGGREGATOR_DEFAULTS } from './window-aggregator.ts';

/** The running pipeline's aggregator: the rolling window's, and bars wait 2 s for late trades. */
export const AGGREGATOR_DEFAULTS = { windowSize: WINDOW_AGGREGATOR_DEFAULTS.window, publishEvery: WINDOW_AGGREGATOR_DEFAULTS.publishEvery, barLatenessMs: 2_000 } as const;

/** What the aggregator is configured with, on either bus. */
export interface AggregatorSettings {
  readonly input: string;
  readonly output: string;
  readonly deadLetters: string;
  readonly windowSize: number;
  readonly publishEvery: number;
  readonly barLatenessMs: number;
  /** Close bars on event time instead of the clock (replays faster than real time). */
  readonly closeBarsOnEventTime: boolean;
  /** The time of clock-driven bar closing, and the `tsRecv` of what it closes. */
  readonly clock: Clock;
  /** Which trades set bar prices; default all of them. */
  readonly eligibility?: EligibilityRule;
}
