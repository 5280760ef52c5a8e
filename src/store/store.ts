import type { Bar } from '../model/bar.ts';
import type { AlertStore } from './alert-store.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { Quote } from '../model/quote.ts';
import type { QuoteBar } from '../model/quote-bar.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';
import type { TradingStore } from './trading-store.ts';

/**
 * The store port: market data at rest. Implemented over PGlite (embedded, the default) and
 * PostgreSQL; both run the same migrations and SQL and pass `test/store/store-contract.ts`.
 * Times are Unix ms, as in the records. Alert rules, firings and states: `AlertStore`.
 */
export interface Store extends AlertStore {
  readonly kind: 'pglite' | 'postgres';
  /** Paper trading's state and history, in the same database (`TradingStore`). */
  readonly trading: TradingStore;
  /**
   * Writes trades, bars, window metrics, trading signals, quotes and quote bars in one transaction;
   * resolves once it committed. Idempotent: a trade or quote already stored (same `source`, `seq`), a
   * bar or quote bar already stored (same symbol, interval, start), a metrics record already stored
   * (same content) or a signal already stored (same symbol, tsEvent, strategy, side) is skipped, not
   * doubled.
   */
  write(batch: WriteBatch): Promise<WriteResult>;
  /** The symbol's latest trade by event time, from the latest-price table (an indexed lookup). */
  latestPrice(symbol: string): Promise<LatestPrice | null>;
  /** Every symbol with a stored trade, by name. */
  symbols(): Promise<SymbolSummary[]>;
  /** A page of the symbol's trades in (tsEvent, source, seq) order; pass `nextCursor` back for the next. */
  trades(query: TradeQuery): Promise<TradePage>;
  /** Bars by start: 1s and 1m as stored; 5m, 1h, 1d (UTC days) aggregated from stored 1m bars. */
  bars(query: BarQuery): Promise<StoredBar[]>;
  /** A page of the symbol's quotes in (tsEvent, source, seq) order, as `trades`. */
  quotes(query: QuoteQuery): Promise<QuotePage>;
  /** Quote bars by start: 1s and 1m as stored; 5m, 1h, 1d (UTC days) aggregated from stored 1m quote bars. */
  quoteBars(query: BarQuery): Promise<StoredQuoteBar[]>;
  /**
   * A symbol's stored signals with tsEvent in [from, to), oldest first (by tsEvent, strategy, side)
   * as /v1/trades; `order: 'desc'` gives the newest first, so `limit` keeps the most recent.
   */
  signals(query: SignalQuery): Promise<TradingSignal[]>;
  /** The symbol's most recent window metrics (by event time, then by arrival). */
  latestMetrics(symbol: string): Promise<WindowMetrics | null>;
  /** Keeps a provider's raw response; returns its id, a UUID (the price event's `raw_response_id`). */
  insertRawResponse(response: RawResponseInput): Promise<string>;
  /**
   * A stored raw response by its UUID, or by the numeric row id (a decimal string) that price
   * events written before the seed contract name; `null` when there is none.
   */
  rawResponse(id: string): Promise<StoredRawResponse | null>;
  /** Inserts or replaces values by (symbol, kind, window, ts); returns how many rows were written. */
  upsertMovingAverages(values: readonly MovingAverage[]): Promise<number>;
  /** Moving averages by ts ascending. */
  movingAverages(query: MovingAverageQuery): Promise<MovingAverage[]>;
  /** Resolves when the database answers; for readiness checks. */
  ping(): Promise<void>;
  /** Waits for work in progress and closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

export interface WriteBatch {
  readonly trades?: readonly Trade[];
  readonly bars?: readonly Bar[];
  readonly metrics?: readonly WindowMetrics[];
  readonly signals?: readonly TradingSignal[];
  readonly quotes?: readonly Quote[];
  readonly quoteBars?: readonly QuoteBar[];
}

/** Rows newly stored; what was given but not counted here was already there. */
export interface WriteResult {
  readonly trades: number;
  readonly bars: number;
  readonly metrics: number;
  readonly signals: number;
  readonly quotes: number;
  readonly quoteBars: number;
}

export interface LatestPrice {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly tsEvent: number;
  readonly tsRecv: number;
  /** The trade that set it. */
  readonly source: string;
  readonly seq: number;
}

export interface SymbolSummary {
  readonly symbol: string;
  readonly lastPrice: number;
  /** Event time of the latest trade. */
  readonly lastTsEvent: number;
  /** Receive time of the latest trade. */
  readonly lastTsRecv: number;
  /** Trades stored for the symbol. */
  readonly tradeCount: number;
}

/** `[from, to)` in event time; both optional. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

export interface TradeQuery extends TimeRange {
  readonly symbol: string;
  /** 1 … 10 000, default 100. */
  readonly limit?: number;
  /** `nextCursor` of the previous page (same symbol, order and range). */
  readonly cursor?: string | null;
  /** Default `asc`. */
  readonly order?: 'asc' | 'desc';
}

export interface TradePage {
  readonly trades: Trade[];
  /** `null` on the last page. */
  readonly nextCursor: string | null;
}

/** As `TradeQuery`: `nextCursor` is a position in (tsEvent, source, seq) order. */
export type QuoteQuery = TradeQuery;

export interface QuotePage {
  readonly quotes: Quote[];
  /** `null` on the last page. */
  readonly nextCursor: string | null;
}

export interface SignalQuery extends TimeRange {
  readonly symbol: string;
  /** Only this strategy instance's signals (its `id`, the signals' `strategy` field). */
  readonly strategy?: string;
  /** 1 … 10 000, default 1 000. */
  readonly limit?: number;
  /** Default `asc`. */
  readonly order?: 'asc' | 'desc';
}

export const QUERY_INTERVALS = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type QueryInterval = keyof typeof QUERY_INTERVALS;

export interface BarQuery extends TimeRange {
  readonly symbol: string;
  /** One of `QUERY_INTERVALS`; anything else is rejected. A bar is returned when its start is in [from, to). */
  readonly interval: string;
  /** 1 … 10 000, default 1 000. */
  readonly limit?: number;
}

/**
 * A stored or aggregated bar. Aggregated: open of the first 1m bar, close of the last, high/low
 * over them, volume and count summed, VWAP the volume-weighted mean of the 1m VWAPs (over the 1m
 * bars that have one; `null` if none).
 */
export type StoredBar = Omit<Bar, 'type' | 'interval' | 'tsEvent' | 'tsRecv'> & { readonly interval: QueryInterval };

/**
 * A stored or aggregated quote bar. Aggregated: each side's open of the first 1m bar, close of the
 * last, high/low over them; the last sizes of the latest 1m bar that has one; count summed.
 */
export type StoredQuoteBar = Omit<QuoteBar, 'type' | 'interval' | 'tsEvent' | 'tsRecv'> & { readonly interval: QueryInterval };

export interface RawResponseInput {
  readonly provider: string;
  readonly symbol: string | null;
  /** HTTP status (or the provider's own code). */
  readonly status: number;
  /** The body as received, verbatim. */
  readonly body: string;
  readonly fetchedAt: number;
}

export interface StoredRawResponse extends RawResponseInput {
  /** The UUID, whichever id found it. */
  readonly id: string;
}

export const MOVING_AVERAGE_KINDS = ['SMA', 'EMA'] as const;
export type MovingAverageKind = (typeof MOVING_AVERAGE_KINDS)[number];

export interface MovingAverage {
  readonly symbol: string;
  readonly kind: MovingAverageKind;
  /** Its length (periods). */
  readonly window: number;
  readonly ts: number;
  readonly value: number;
}

export interface MovingAverageQuery extends TimeRange {
  readonly symbol: string;
  readonly kind?: MovingAverageKind;
  readonly window?: number;
  /** 1 … 10 000, default 1 000. */
  readonly limit?: number;
}
