import type { Trade } from './trade.ts';

/**
 * What a trade may contribute to a bar, decided from its venue conditions:
 * - `full`: open, high, low, close, volume, VWAP;
 * - `volume`: volume only (prints whose price does not reflect the market at that moment, such as
 *   average-price or derivatively priced trades: consolidated tapes count their volume but they do
 *   not set the last price);
 * - `none`: ignored entirely.
 */
export type TradeEligibility = 'full' | 'volume' | 'none';

export type EligibilityRule = (trade: Trade) => TradeEligibility;

/** The default: every trade counts fully (Finnhub, simulator, forex). */
export const everyTradeCounts: EligibilityRule = () => 'full';
