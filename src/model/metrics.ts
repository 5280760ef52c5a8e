import { finite, integer, nonNegative, nullOrPositive, positive, recordOf, text, times, within, type Problem } from './checks.ts';
import { isFiniteNumber } from './guards.ts';

/** Statistics over the last `window` trades of one symbol, published by the aggregator. */
export interface WindowMetrics {
  readonly type: 'window-metrics';
  /** @minLength 1 */
  readonly symbol: string;
  /**
   * Configured window length (trades).
   * @asType integer
   * @minimum 1
   */
  readonly window: number;
  /**
   * Trades actually in the window (fewer than `window` while it fills), at least 1.
   * @asType integer
   * @minimum 1
   */
  readonly count: number;
  /**
   * Volume-weighted average price; `null` when the window's volume is 0 (forex price updates).
   * @exclusiveMinimum 0
   */
  readonly vwap: number | null;
  /** @exclusiveMinimum 0 */
  readonly avg: number;
  /** @exclusiveMinimum 0 */
  readonly min: number;
  /** @exclusiveMinimum 0 */
  readonly max: number;
  /** @exclusiveMinimum 0 */
  readonly first: number;
  /** @exclusiveMinimum 0 */
  readonly last: number;
  /** (last − first) / first × 100 over the window. */
  readonly changePct: number;
  /** @minimum 0 */
  readonly volume: number;
  /** Exchange time of the oldest and newest trade in the window. */
  readonly tsStart: number;
  readonly tsEvent: number;
  /** Receive time of the trade that triggered this publication. */
  readonly tsRecv: number;
}

/** Checks a value read from the bus before it is trusted as window metrics. */
export function validateWindowMetrics(value: unknown): WindowMetrics | string {
  const record = recordOf(value, 'window-metrics');
  if (typeof record === 'string') return record;
  return (
    text('symbol', record.symbol) ??
    times(record) ??
    span(record) ??
    integer('window', record.window, 1) ??
    integer('count', record.count, 1) ??
    ((record.count as number) <= (record.window as number) ? undefined : 'count must be at most window') ??
    prices(record) ??
    finite('changePct', record.changePct) ??
    nonNegative('volume', record.volume) ??
    (value as WindowMetrics)
  );
}

/** The window's trades happened from `tsStart` to `tsEvent`. */
function span(metrics: Record<string, unknown>): Problem {
  return isFiniteNumber(metrics.tsStart) && metrics.tsStart <= (metrics.tsEvent as number) ? undefined : 'tsStart must be a number ≤ tsEvent';
}

/** Every price of the window is positive; the means, the first and the last lie within [min, max]. */
function prices(metrics: Record<string, unknown>): Problem {
  const problem =
    positive('min', metrics.min) ?? positive('max', metrics.max) ?? positive('first', metrics.first) ?? positive('last', metrics.last) ?? positive('avg', metrics.avg) ?? nullOrPositive('vwap', metrics.vwap);
  if (problem) return problem;
  const min = metrics.min as number;
  const max = metrics.max as number;
  if (min > max) return 'min must be at most max';
  for (const name of ['first', 'last', 'avg', 'vwap'] as const) {
    const value = metrics[name];
    const outside = value === null ? undefined : within(name, value as number, min, max, '[min, max]');
    if (outside) return outside;
  }
  return undefined;
}
