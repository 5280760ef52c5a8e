import { finite, integer, positive, recordOf, string, text, times, type Problem } from './checks.ts';
import { isFiniteNumber } from './guards.ts';

/**
 * A trading signal, published on `trading-signals` keyed by symbol by the signals processor.
 * `lineage` names the bus records the strategy decided on, so a signal can be traced to its inputs.
 */
export interface TradingSignal {
  readonly type: 'signal';
  /** @minLength 1 */
  readonly symbol: string;
  /** The strategy instance that fired, e.g. `ma-crossover`, `vwap-deviation`, `rsi`, `volume-spike`. */
  readonly strategy: string;
  readonly side: SignalSide;
  /**
   * How strong the evidence is, from 0 (barely) to 1 (as strong as the strategy measures).
   * @minimum 0
   * @maximum 1
   */
  readonly strength: number;
  /**
   * The price the signal refers to (the last trade or the closing price of the bar it decided on).
   * @exclusiveMinimum 0
   */
  readonly price: number;
  /** Event time of the input that triggered it, Unix ms. */
  readonly tsEvent: number;
  /** When the signal was made, Unix ms. */
  readonly tsRecv: number;
  /** Human-readable: `EMA(5) crossed above EMA(20) at 189.31`. */
  readonly reason: string;
  readonly lineage: readonly SignalInput[];
}

export type SignalSide = 'buy' | 'sell';

/** One record a signal was derived from. */
export interface SignalInput {
  /** @minLength 1 */
  readonly topic: string;
  /**
   * @asType integer
   * @minimum 0
   */
  readonly partition: number;
  /**
   * @asType integer
   * @minimum 0
   */
  readonly offset: number;
  /** The input record's `type`: `trade`, `bar`, `window-metrics`. */
  readonly recordType: string;
  readonly tsEvent: number;
}

/** A strategy instance id (`TradingSignal.strategy`), as `TICKFLOW_STRATEGIES` may name one. */
export const STRATEGY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a value read from the bus before it is trusted as a trading signal. */
export function validateTradingSignal(value: unknown): TradingSignal | string {
  const record = recordOf(value, 'signal');
  if (typeof record === 'string') return record;
  return (
    text('symbol', record.symbol) ??
    times(record) ??
    text('strategy', record.strategy) ??
    (record.side === 'buy' || record.side === 'sell' ? undefined : 'side must be "buy" or "sell"') ??
    (isFiniteNumber(record.strength) && record.strength >= 0 && record.strength <= 1 ? undefined : 'strength must be a number in [0, 1]') ??
    positive('price', record.price) ??
    string('reason', record.reason) ??
    lineage(record.lineage) ??
    (value as TradingSignal)
  );
}

function lineage(value: unknown): Problem {
  if (!Array.isArray(value)) return 'lineage must be an array';
  for (const [index, input] of (value as unknown[]).entries()) {
    const problem = signalInputProblem(input);
    if (problem) return `lineage[${index}]: ${problem}`;
  }
  return undefined;
}

function signalInputProblem(value: unknown): Problem {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const input = value as Record<string, unknown>;
  return (
    text('topic', input.topic) ??
    integer('partition', input.partition, 0) ??
    integer('offset', input.offset, 0) ??
    text('recordType', input.recordType) ??
    finite('tsEvent', input.tsEvent)
  );
}
