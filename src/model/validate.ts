import type { MarketRecord } from './market-record.ts';
import { isFiniteNumber, isNonEmptyString } from './guards.ts';
import { validateQuote } from './quote.ts';

const GAP_REASONS = new Set(['disconnect', 'stale', 'shutdown']);


/**
 * Checks a value read from the bus (which in distributed mode anyone may have written) before it is
 * trusted as a trade, quote or gap. Returns the record, or why it is not one.
 */
export function validateMarketRecord(value: unknown): MarketRecord | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isNonEmptyString(record.source)) return 'source missing';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  if (record.type === 'quote') return validateQuote(value);
  if (record.type === 'gap') return GAP_REASONS.has(record.reason as string) ? (value as MarketRecord) : 'unknown gap reason';
  if (record.type !== 'trade') return `unknown record type ${JSON.stringify(record.type)}`;
  if (!isFiniteNumber(record.price) || record.price <= 0) return 'price must be a positive number';
  if (!isFiniteNumber(record.size) || record.size < 0) return 'size must be a number ≥ 0';
  if (!isFiniteNumber(record.seq)) return 'seq must be a number';
  const { conditions } = record;
  if (conditions !== null && !(Array.isArray(conditions) && conditions.every((code) => typeof code === 'string'))) {
    return 'conditions must be null or an array of strings';
  }
  return value as MarketRecord;
}
