import type { Bar } from '../../model/bar.ts';
import type { WindowMetrics } from '../../model/metrics.ts';
import type { SignalInput, SignalSide } from '../../model/signal.ts';
import type { Trade } from '../../model/trade.ts';

/**
 * The strategy port. A `Strategy` is one symbol's instance of one configured strategy: it keeps
 * that symbol's state (averages, last crossing) and sees that symbol's records only, in the order
 * the bus delivers them. A `StrategyFactory` makes a fresh instance; the engine calls it for a symbol
 * it sees for the first time and again after a gap (see `SignalEngine`).
 *
 * Handlers are optional: a strategy implements those for the records it decides on. Each returns a
 * `Decision` when the strategy fires on this record, else `null`. Decisions must follow from the
 * records alone (no wall clock, no randomness): the same inputs give the same signals, which is what
 * makes a redelivered or replayed stream produce the same signals.
 *
 * To add a strategy: implement `Strategy` in a file of its own, add its options schema to
 * `strategy-config.ts` and its factory to `strategy-registry.ts`.
 */
export interface Strategy {
  /** The kind of strategy, e.g. `ma-crossover`; the configured instance id names the signals. */
  readonly name: string;
  onTrade?(trade: Trade, input: SignalInput): Decision | null;
  /** Closed bars only, of every interval: a strategy picks the interval it was configured for. */
  onBar?(bar: Bar, input: SignalInput): Decision | null;
  onMetrics?(metrics: WindowMetrics, input: SignalInput): Decision | null;
}

export type StrategyFactory = (symbol: string) => Strategy;

/** What a strategy decided; the engine turns it into a `TradingSignal`. */
export interface Decision {
  readonly side: SignalSide;
  /** 0..1; the engine clamps it. */
  readonly strength: number;
  readonly price: number;
  readonly reason: string;
  /** The inputs the decision rests on, oldest first; default the record that triggered it alone. */
  readonly lineage?: readonly SignalInput[];
}

export function clamp01(value: number): number {
  if (!(value > 0)) return 0;
  return value < 1 ? value : 1;
}

/** Six significant digits for reasons: `189.314`, `65012.3`, `1.08452`. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}
