export const BAR_INTERVALS = { '1s': 1_000, '1m': 60_000 } as const;
export type BarInterval = keyof typeof BAR_INTERVALS;

/** OHLCV time bar covering [start, end). */
export interface Bar {
  readonly type: 'bar';
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /**
   * Over the trades that set prices; `null` when they carry no volume (forex price updates, or only
   * volume-only prints had size: see `TradeEligibility`).
   */
  readonly vwap: number | null;
  readonly count: number;
  /** Event time of the bar is its end. */
  readonly tsEvent: number;
  /** Local time the bar was closed. */
  readonly tsRecv: number;
}
