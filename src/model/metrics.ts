/** Statistics over the last `window` trades of one symbol, published by the aggregator. */
export interface WindowMetrics {
  readonly type: 'window-metrics';
  readonly symbol: string;
  /** Configured window length (trades). */
  readonly window: number;
  /** Trades actually in the window (fewer than `window` while it fills). */
  readonly count: number;
  /** Volume-weighted average price; `null` when the window's volume is 0 (forex price updates). */
  readonly vwap: number | null;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly first: number;
  readonly last: number;
  /** (last − first) / first × 100 over the window. */
  readonly changePct: number;
  readonly volume: number;
  /** Exchange time of the oldest and newest trade in the window. */
  readonly tsStart: number;
  readonly tsEvent: number;
  /** Receive time of the trade that triggered this publication. */
  readonly tsRecv: number;
}
