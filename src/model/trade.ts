import { finite, nonNegative, positive, recordOf, text, times } from './checks.ts';

/** One executed trade (or, for venues without trades such as forex, one price update with size 0). */
export interface Trade {
  readonly type: 'trade';
  /**
   * Where the trade entered tickflow: `finnhub`, `simulator`, `lean`, …
   * @minLength 1
   */
  readonly source: string;
  /** @minLength 1 */
  readonly symbol: string;
  /** @exclusiveMinimum 0 */
  readonly price: number;
  /**
   * Shares, contracts or coins; fractional for crypto, 0 for forex price updates.
   * @minimum 0
   */
  readonly size: number;
  /** Venue condition codes; `null` when the venue sends none (Finnhub crypto, older traffic). */
  readonly conditions: readonly string[] | null;
  /** Exchange time, Unix ms. Not monotonic: venues send trades out of order. */
  readonly tsEvent: number;
  /** Local receive time, Unix ms. */
  readonly tsRecv: number;
  /**
   * Ingest sequence. Together with `source` it identifies the trade: Finnhub sends no trade id and
   * several identical trades may share one millisecond. See `IngestSequence` for why it stays unique
   * across restarts.
   */
  readonly seq: number;
}

export function tradeId(trade: Pick<Trade, 'source' | 'seq'>): string {
  return `${trade.source}:${trade.seq}`;
}

/** Checks a value read from the bus (anyone may have written it) before it is trusted as a trade. */
export function validateTrade(value: unknown): Trade | string {
  const record = recordOf(value, 'trade');
  if (typeof record === 'string') return record;
  return (
    text('symbol', record.symbol) ??
    text('source', record.source) ??
    times(record) ??
    positive('price', record.price) ??
    nonNegative('size', record.size) ??
    finite('seq', record.seq) ??
    conditions(record.conditions) ??
    (value as Trade)
  );
}

function conditions(value: unknown): string | undefined {
  if (value === null || (Array.isArray(value) && value.every((code) => typeof code === 'string'))) return undefined;
  return 'conditions must be null or an array of strings';
}
