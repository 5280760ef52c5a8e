import { isFiniteNumber, isNonEmptyString, isSizeOrNull } from './guards.ts';

/**
 * One top-of-book quote: the best bid and ask at a moment (forex from OANDA via Lean's tick files,
 * for example). Travels on the raw market-data topic keyed by symbol, like trades.
 */
export interface Quote {
  readonly type: 'quote';
  /**
   * Where the quote entered tickflow: `lean`, `replay`, …
   * @minLength 1
   */
  readonly source: string;
  /** @minLength 1 */
  readonly symbol: string;
  /**
   * Best bid price, > 0.
   * @exclusiveMinimum 0
   */
  readonly bid: number;
  /**
   * Best ask price, > 0. Not checked against the bid: locked and crossed quotes happen and are data.
   * @exclusiveMinimum 0
   */
  readonly ask: number;
  /**
   * Size at the bid; `null` when the venue sends none (Lean's OANDA forex ticks).
   * @minimum 0
   */
  readonly bidSize: number | null;
  /** @minimum 0 */
  readonly askSize: number | null;
  /** Exchange (or venue) time, Unix ms. */
  readonly tsEvent: number;
  /** Local receive time, Unix ms. */
  readonly tsRecv: number;
  /** Ingest sequence; with `source` it identifies the quote, as for trades (`tradeId`). */
  readonly seq: number;
}

/**
 * Checks a value read from the bus (or an archive) before it is trusted as a quote. Returns it, or
 * why it is not one. One-sided quotes (a side of 0) are not quotes here: no source tickflow reads
 * sends them.
 */
export function validateQuote(value: unknown): Quote | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type !== 'quote') return `not a quote (${JSON.stringify(record.type)})`;
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isNonEmptyString(record.source)) return 'source missing';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  if (!isFiniteNumber(record.bid) || record.bid <= 0) return 'bid must be a positive number';
  if (!isFiniteNumber(record.ask) || record.ask <= 0) return 'ask must be a positive number';
  if (!isSizeOrNull(record.bidSize)) return 'bidSize must be null or a number ≥ 0';
  if (!isSizeOrNull(record.askSize)) return 'askSize must be null or a number ≥ 0';
  if (!isFiniteNumber(record.seq)) return 'seq must be a number';
  return value as Quote;
}
