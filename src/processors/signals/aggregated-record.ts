import { BAR_INTERVALS, type Bar } from '../../model/bar.ts';
import type { WindowMetrics } from '../../model/metrics.ts';
import { isFiniteNumber, isNonEmptyString } from '../../model/guards.ts';
import { validateQuoteBar, type QuoteBar } from '../../model/quote-bar.ts';

/** What travels on the aggregated-metrics topic. */
export type AggregatedRecord = Bar | WindowMetrics | QuoteBar;

const isPositive = (value: unknown): value is number => isFiniteNumber(value) && value > 0;

/**
 * Checks a value read from the metrics topic before a strategy trusts it: the fields strategies
 * read, with the types the aggregator writes. Returns the record, or why it is not one.
 */
export function validateAggregatedRecord(value: unknown): AggregatedRecord | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type === 'quote-bar') return validateQuoteBar(value);
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  if (record.vwap !== null && !isPositive(record.vwap)) return 'vwap must be null or a positive number';
  if (!isFiniteNumber(record.volume) || record.volume < 0) return 'volume must be a number ≥ 0';
  if (!Number.isSafeInteger(record.count) || (record.count as number) < 0) return 'count must be an integer ≥ 0';
  if (record.type === 'bar') {
    if (typeof record.interval !== 'string' || !Object.hasOwn(BAR_INTERVALS, record.interval)) return `unknown bar interval ${JSON.stringify(record.interval)}`;
    if (!isFiniteNumber(record.start) || !isFiniteNumber(record.end) || record.start >= record.end) return 'bar start/end must be numbers with start < end';
    const { open, high, low, close } = record;
    if (!isPositive(open) || !isPositive(high) || !isPositive(low) || !isPositive(close)) return 'bar open/high/low/close must be positive numbers';
    if (low > Math.min(open, close) || high < Math.max(open, close)) return 'bar low/high do not bound open/close';
    return value as Bar;
  }
  if (record.type === 'window-metrics') {
    if (!isPositive(record.last)) return 'last must be a positive number';
    if (!Number.isSafeInteger(record.window) || (record.window as number) < 1) return 'window must be an integer ≥ 1';
    return value as WindowMetrics;
  }
  return `unknown record type ${JSON.stringify(record.type)}`;
}
