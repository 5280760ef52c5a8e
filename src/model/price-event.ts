import { integer, positive, recordOf, text, times } from './checks.ts';

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


/** Checks a value read from the bus before it is trusted as a price event. */
export function validatePriceEvent(value: unknown): PriceEvent | string {
  const record = recordOf(value, 'price-event');
  if (typeof record === 'string') return record;
  return (
    text('symbol', record.symbol) ??
    times(record) ??
    text('source', record.source) ??
    positive('price', record.price) ??
    (record.timestamp === record.tsEvent ? undefined : 'timestamp must equal tsEvent') ??
    integer('rawResponseId', record.rawResponseId, 1) ??
    (value as PriceEvent)
  );
}
