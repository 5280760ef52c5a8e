import type { Clock } from '../../clock.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';

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
