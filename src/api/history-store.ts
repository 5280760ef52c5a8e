import type { Bar } from '../model/bar.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { Trade } from '../model/trade.ts';
import type { MovingAverageRow } from '../prices/moving-average.ts';

export const API_BAR_INTERVALS = ['1s', '1m', '5m', '1h', '1d'] as const;
export type ApiBarInterval = (typeof API_BAR_INTERVALS)[number];

export interface TradeQuery {
  readonly symbol: string;
  /** Unix ms, inclusive. */
  readonly from?: number;
  /** Unix ms, exclusive. */
  readonly to?: number;
  readonly limit: number;
  /** Opaque: the `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface TradePage {
  readonly trades: readonly Trade[];
  readonly nextCursor: string | null;
}

export interface BarQuery {
  readonly symbol: string;
  readonly interval: ApiBarInterval;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
}

export interface SymbolSummary {
  readonly symbol: string;
  readonly price: number;
  /** Exchange time of the symbol's newest stored trade. */
  readonly lastTradeAt: number;
  readonly trades: number;
}

/** What the HTTP API reads from the store. */
export interface HistoryStore {
  trades(query: TradeQuery): Promise<TradePage>;
  bars(query: BarQuery): Promise<readonly Omit<Bar, 'interval'>[]>;
  latestMetrics(symbol: string): Promise<WindowMetrics | null>;
  symbols(): Promise<readonly SymbolSummary[]>;
  movingAverages(query: { readonly symbol: string; readonly limit: number }): Promise<readonly MovingAverageRow[]>;
}
