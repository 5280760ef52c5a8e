import { isFiniteNumber, isNonEmptyString } from './guards.ts';

/**
 * A price fetched from a REST quote provider (Finnhub, Alpha Vantage) because the stream had no fresh
 * trade for the symbol. Published on the `price-events` topic keyed by symbol; the provider's raw
 * answer is stored separately and referenced by `rawResponseId`.
 */
export interface PriceEvent {
  readonly type: 'price-event';
  readonly symbol: string;
  /** Always > 0: a zero price (Finnhub's answer for an unknown symbol) is never a price. */
  readonly price: number;
  /** When the price was valid according to the provider, Unix ms (equal to `tsEvent`). */
  readonly timestamp: number;
  /** The provider that answered: `finnhub`, `alphavantage`. */
  readonly source: string;
  /** Id of the stored raw provider response this price was read from. */
  readonly rawResponseId: number;
  /** Provider time of the price, Unix ms. */
  readonly tsEvent: number;
  /** When tickflow received the provider's answer, Unix ms. */
  readonly tsRecv: number;
}


/** Checks a value read from the bus before it is trusted as a price event. Returns it, or why not. */
export function validatePriceEvent(value: unknown): PriceEvent | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type !== 'price-event') return `unknown record type ${JSON.stringify(record.type)}`;
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isNonEmptyString(record.source)) return 'source missing';
  if (!isFiniteNumber(record.price) || record.price <= 0) return 'price must be a positive number';
  if (!isFiniteNumber(record.timestamp)) return 'timestamp must be a number';
  if (!Number.isSafeInteger(record.rawResponseId)) return 'rawResponseId must be an integer';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  return value as PriceEvent;
}
