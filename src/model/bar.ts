import { integer, nonNegative, nullOrPositive, positive, recordOf, text, times, within, type Problem } from './checks.ts';
import { isFiniteNumber } from './guards.ts';

/** The intervals tickflow builds bars of, live and in replays. */
export const BAR_INTERVALS = { '1s': 1_000, '1m': 60_000 } as const;
export type BarInterval = keyof typeof BAR_INTERVALS;
/**
 * Intervals that only arrive from recorded data (Lean's hour and daily files), never built. A daily
 * bar covers the regular session it summarizes, so its width is at most a day, not exactly one.
 */
export const RECORDED_INTERVALS = { '1h': 3_600_000, '1d': 86_400_000 } as const;
export type BarPeriod = BarInterval | keyof typeof RECORDED_INTERVALS;

/** OHLCV time bar covering [start, end). */
export interface Bar {
  readonly type: 'bar';
  /** @minLength 1 */
  readonly symbol: string;
  readonly interval: BarPeriod;
  readonly start: number;
  /** `start` + the interval (for a recorded daily bar: the session's close). */
  readonly end: number;
  /** @exclusiveMinimum 0 */
  readonly open: number;
  /** @exclusiveMinimum 0 */
  readonly high: number;
  /** @exclusiveMinimum 0 */
  readonly low: number;
  /** @exclusiveMinimum 0 */
  readonly close: number;
  /** @minimum 0 */
  readonly volume: number;
  /**
   * Over the trades that set prices, within [low, high]; `null` when they carry no volume (forex
   * price updates, or only volume-only prints had size: see `TradeEligibility`).
   * @exclusiveMinimum 0
   */
  readonly vwap: number | null;
  /**
   * @asType integer
   * @minimum 0
   */
  readonly count: number;
  /** Event time of the bar is its end. */
  readonly tsEvent: number;
  /** Local time the bar was closed. */
  readonly tsRecv: number;
}

/** Checks a value read from the bus before it is trusted as a bar. */
export function validateBar(value: unknown): Bar | string {
  const record = recordOf(value, 'bar');
  if (typeof record === 'string') return record;
  return (
    text('symbol', record.symbol) ??
    times(record) ??
    period(record) ??
    prices(record) ??
    nonNegative('volume', record.volume) ??
    nullOrPositive('vwap', record.vwap) ??
    (record.vwap === null ? undefined : within('vwap', record.vwap as number, record.low as number, record.high as number, '[low, high]')) ??
    integer('count', record.count, 0) ??
    (value as Bar)
  );
}

function period(bar: Record<string, unknown>): Problem {
  const { interval, start, end } = bar;
  const recorded = typeof interval === 'string' && Object.hasOwn(RECORDED_INTERVALS, interval);
  if (!recorded && (typeof interval !== 'string' || !Object.hasOwn(BAR_INTERVALS, interval))) return `unknown bar interval ${JSON.stringify(interval)}`;
  if (!isFiniteNumber(start)) return 'start must be a number';
  if (recorded) {
    const most = RECORDED_INTERVALS[interval as keyof typeof RECORDED_INTERVALS];
    if (!isFiniteNumber(end) || end <= start || end - start > most) return `end must be after start, by at most ${most} (a ${interval} bar)`;
  } else {
    const length = BAR_INTERVALS[interval as BarInterval];
    if (end !== start + length) return `end must be start + ${length} (a ${interval} bar)`;
  }
  return bar.tsEvent === end ? undefined : 'tsEvent must equal end';
}

function prices(bar: Record<string, unknown>): Problem {
  const problem = positive('open', bar.open) ?? positive('high', bar.high) ?? positive('low', bar.low) ?? positive('close', bar.close);
  if (problem) return problem;
  const { open, high, low, close } = bar as { open: number; high: number; low: number; close: number };
  return low <= Math.min(open, close) && high >= Math.max(open, close) ? undefined : 'low and high must bound open and close';
}
