/** Where a market is in its trading day at some instant. */
export type SessionPhase = 'pre' | 'regular' | 'post' | 'closed';

/**
 * What the engine needs of a trading calendar (src/trading/calendar/ implements it for US equities,
 * forex and crypto). `market` is the instrument's `market`. Called once per print of a symbol with open
 * orders: implementations should be cheap for nearby instants.
 */
export interface MarketCalendar {
  phase(market: string, ts: number): SessionPhase;
  /** Start of the next regular session that starts after `ts`; `null` if the market never closes. */
  nextOpen(market: string, ts: number): number | null;
  /**
   * End of the regular session in progress at `ts`, else of the next one; with `extended`, the end of
   * the post-market session instead. `null` if the market never closes (crypto).
   */
  nextClose(market: string, ts: number, extended: boolean): number | null;
}
