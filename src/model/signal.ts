import { isFiniteNumber, isNonEmptyString } from './guards.ts';

/**
 * A trading signal, published on `trading-signals` keyed by symbol by the signals processor.
 * `lineage` names the bus records the strategy decided on, so a signal can be traced to its inputs.
 */
export interface TradingSignal {
  readonly type: 'signal';
  readonly symbol: string;
  /** The strategy instance that fired, e.g. `ma-crossover`, `vwap-deviation`, `rsi`, `volume-spike`. */
  readonly strategy: string;
  readonly side: SignalSide;
  /** How strong the evidence is, from 0 (barely) to 1 (as strong as the strategy measures). */
  readonly strength: number;
  /** The price the signal refers to (the last trade or the closing price of the bar it decided on). */
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
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The input record's `type`: `trade`, `bar`, `window-metrics`. */
  readonly recordType: string;
  readonly tsEvent: number;
}

/** A strategy instance id (`TradingSignal.strategy`), as `TICKFLOW_STRATEGIES` may name one. */
export const STRATEGY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a value read from the bus before it is trusted as a trading signal. Returns it, or why not. */
export function validateTradingSignal(value: unknown): TradingSignal | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type !== 'signal') return `unknown record type ${JSON.stringify(record.type)}`;
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isNonEmptyString(record.strategy)) return 'strategy missing';
  if (record.side !== 'buy' && record.side !== 'sell') return 'side must be "buy" or "sell"';
  if (!isFiniteNumber(record.strength) || record.strength < 0 || record.strength > 1) return 'strength must be a number in [0, 1]';
  if (!isFiniteNumber(record.price) || record.price <= 0) return 'price must be a positive number';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  if (typeof record.reason !== 'string') return 'reason must be a string';
  if (!Array.isArray(record.lineage)) return 'lineage must be an array';
  for (const [index, input] of (record.lineage as unknown[]).entries()) {
    const problem = signalInputProblem(input);
    if (problem) return `lineage[${index}]: ${problem}`;
  }
  return value as TradingSignal;
}

function signalInputProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const input = value as Record<string, unknown>;
  if (!isNonEmptyString(input.topic)) return 'topic missing';
  if (!Number.isSafeInteger(input.partition) || (input.partition as number) < 0) return 'partition must be an integer ≥ 0';
  if (!Number.isSafeInteger(input.offset) || (input.offset as number) < 0) return 'offset must be an integer ≥ 0';
  if (!isNonEmptyString(input.recordType)) return 'recordType missing';
  if (!isFiniteNumber(input.tsEvent)) return 'tsEvent must be a number';
  return null;
}
