import type { WindowMetrics } from '../model/metrics.ts';
import type { Quote } from '../model/quote.ts';
import type { SignalInput, SignalSide, TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';
import type { LatestPrice, MovingAverage, MovingAverageKind, QueryInterval, StoredBar, StoredQuoteBar, StoredRawResponse, SymbolSummary } from './store.ts';

/**
 * Rows as the drivers return them, to records. `pg` returns bigint and numeric as strings, PGlite
 * bigint as numbers: every number goes through `Number`. Stored times and seqs are safe integers
 * (checked on the way in), so the conversion is exact.
 */
export type Row = Record<string, unknown>;

export const num = (value: unknown): number => Number(value);
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** `pg` and PGlite both parse jsonb; a string would mean a driver configured otherwise. */
export const jsonb = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function tradeFromRow(row: Row): Trade {
  return {
    type: 'trade',
    source: row.source as string,
    symbol: row.symbol as string,
    price: num(row.price),
    size: num(row.size),
    conditions: (row.conditions as string[] | null) ?? null,
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
    seq: num(row.seq),
  };
}

export function quoteFromRow(row: Row): Quote {
  return {
    type: 'quote',
    source: row.source as string,
    symbol: row.symbol as string,
    bid: num(row.bid),
    ask: num(row.ask),
    bidSize: numOrNull(row.bid_size),
    askSize: numOrNull(row.ask_size),
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
    seq: num(row.seq),
  };
}

export function quoteBarFromRow(row: Row, symbol: string, interval: QueryInterval, width: number): StoredQuoteBar {
  const start = num(row.start);
  return {
    symbol,
    interval,
    start,
    end: start + width,
    bid: { open: num(row.bid_open), high: num(row.bid_high), low: num(row.bid_low), close: num(row.bid_close) },
    ask: { open: num(row.ask_open), high: num(row.ask_high), low: num(row.ask_low), close: num(row.ask_close) },
    lastBidSize: numOrNull(row.last_bid_size),
    lastAskSize: numOrNull(row.last_ask_size),
    count: num(row.quote_count),
  };
}

export function latestPriceFromRow(row: Row): LatestPrice {
  return {
    symbol: row.symbol as string,
    price: num(row.price),
    size: num(row.size),
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
    source: row.source as string,
    seq: num(row.seq),
  };
}

export function symbolSummaryFromRow(row: Row): SymbolSummary {
  return { symbol: row.symbol as string, lastPrice: num(row.price), lastTsEvent: num(row.ts_event), lastTsRecv: num(row.ts_recv), tradeCount: num(row.trade_count) };
}

export function barFromRow(row: Row, symbol: string, interval: QueryInterval, width: number): StoredBar {
  const start = num(row.start);
  return {
    symbol,
    interval,
    start,
    end: start + width,
    open: num(row.open),
    high: num(row.high),
    low: num(row.low),
    close: num(row.close),
    volume: num(row.volume),
    vwap: numOrNull(row.vwap),
    count: num(row.trade_count),
  };
}

export function metricsFromRow(row: Row): WindowMetrics {
  return {
    type: 'window-metrics',
    symbol: row.symbol as string,
    window: num(row.window_size),
    count: num(row.trade_count),
    vwap: numOrNull(row.vwap),
    avg: num(row.avg_price),
    min: num(row.min_price),
    max: num(row.max_price),
    first: num(row.first_price),
    last: num(row.last_price),
    changePct: num(row.change_pct),
    volume: num(row.volume),
    tsStart: num(row.ts_start),
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
  };
}

export function movingAverageFromRow(row: Row): MovingAverage {
  return { symbol: row.symbol as string, kind: row.kind as MovingAverageKind, window: num(row.window_size), ts: num(row.ts), value: num(row.value) };
}

export function rawResponseFromRow(row: Row): StoredRawResponse {
  return { id: row.id as string, provider: row.provider as string, symbol: row.symbol as string | null, status: num(row.status), body: row.body as string, fetchedAt: num(row.fetched_at) };
}

export function signalFromRow(row: Row): TradingSignal {
  return {
    type: 'signal',
    symbol: row.symbol as string,
    strategy: row.strategy as string,
    side: row.side as SignalSide,
    strength: num(row.strength),
    price: num(row.price),
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
    reason: row.reason as string,
    lineage: jsonb<SignalInput[]>(row.lineage),
  };
}
