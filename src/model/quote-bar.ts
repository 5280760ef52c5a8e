import { BAR_INTERVALS, type BarInterval } from './bar.ts';
import { isFiniteNumber, isNonEmptyString, isSizeOrNull } from './guards.ts';

/** Open, high, low and close of one side of the book over a bar's period. */
export interface SideOhlc {
  /** @exclusiveMinimum 0 */
  readonly open: number;
  /** @exclusiveMinimum 0 */
  readonly high: number;
  /** @exclusiveMinimum 0 */
  readonly low: number;
  /** @exclusiveMinimum 0 */
  readonly close: number;
}

/**
 * A quote bar covering [start, end): the OHLC of the bid and of the ask over the quotes of the
 * period, as Lean's `QuoteBar` (its reference minute files: bid OHLC, last bid size, ask OHLC, last
 * ask size). A period without quotes has no bar. Published on the aggregated-metrics topic keyed by
 * symbol, next to the trade bars.
 */
export interface QuoteBar {
  readonly type: 'quote-bar';
  /** @minLength 1 */
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
  readonly bid: SideOhlc;
  readonly ask: SideOhlc;
  /**
   * Size of the last quote of the period that carried a bid size > 0; `null` when none did.
   * @minimum 0
   */
  readonly lastBidSize: number | null;
  /** @minimum 0 */
  readonly lastAskSize: number | null;
  /**
   * Quotes in the period (≥ 1).
   * @asType integer
   * @minimum 1
   */
  readonly count: number;
  /** Event time of the bar is its end. */
  readonly tsEvent: number;
  /** Local time the bar was closed. */
  readonly tsRecv: number;
}

/** Checks a value read from the bus before it is trusted as a quote bar. Returns it, or why not. */
export function validateQuoteBar(value: unknown): QuoteBar | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type !== 'quote-bar') return `not a quote bar (${JSON.stringify(record.type)})`;
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (typeof record.interval !== 'string' || !Object.hasOwn(BAR_INTERVALS, record.interval)) return `unknown bar interval ${JSON.stringify(record.interval)}`;
  const width = BAR_INTERVALS[record.interval as BarInterval];
  if (!isFiniteNumber(record.start) || record.end !== record.start + width) return `start must be a number and end = start + ${width}`;
  const problem = sideProblem('bid', record.bid) ?? sideProblem('ask', record.ask);
  if (problem) return problem;
  if (!isSizeOrNull(record.lastBidSize) || !isSizeOrNull(record.lastAskSize)) return 'lastBidSize/lastAskSize must be null or numbers ≥ 0';
  if (!Number.isSafeInteger(record.count) || (record.count as number) < 1) return 'count must be an integer ≥ 1';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  return value as QuoteBar;
}

function sideProblem(side: 'bid' | 'ask', value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `${side} must be an object of open, high, low, close`;
  const { open, high, low, close } = value as Record<string, unknown>;
  if (![open, high, low, close].every((price) => isFiniteNumber(price) && price > 0)) return `${side} open/high/low/close must be positive numbers`;
  const [o, h, l, c] = [open, high, low, close] as number[];
  if (l! > Math.min(o!, c!) || h! < Math.max(o!, c!)) return `${side} low/high do not bound open/close`;
  return null;
}
