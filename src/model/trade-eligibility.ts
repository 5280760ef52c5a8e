import type { Trade } from './trade.ts';

/**
 * What a trade may contribute to a bar, decided from its venue conditions:
 * - `full`: open, high, low, close, volume, VWAP;
 * - `volume`: volume only (prints whose price does not reflect the market at that moment, such as
 *   average-price or derivatively priced trades: consolidated tapes count their volume but they do
 *   not set the last price). A period that saw only volume-only prints gets no bar (it has no price);
 *   its volume goes into the symbol's previous bar of that interval (see `BarBuilder`);
 * - `none`: ignored entirely (reports that restate other trades, such as an auction's official
 *   open or close);
 * - an `AuctionPrint`: the one print that reports a session's opening or closing auction.
 */
export type TradeEligibility = 'full' | 'volume' | 'none' | AuctionPrint;

/**
 * The print of a session's auction, the official open or close. It counts fully, and:
 * - `opening`: it is the open of its bar, also when prints before it (pre-open trades reported in
 *   the same period) arrived first;
 * - `closing`: it belongs to the session it closes although it is reported after the close: it goes
 *   into the bar holding the session's last instant (the bar whose period ends at or spans
 *   `sessionEnd`) and is that bar's close. If that bar was already closed, the print is late.
 */
export type AuctionPrint = { readonly auction: 'opening' } | { readonly auction: 'closing'; readonly sessionEnd: number };

export const OPENING_AUCTION: AuctionPrint = Object.freeze({ auction: 'opening' });

export type EligibilityRule = (trade: Trade) => TradeEligibility;

/** The default: every trade counts fully (Finnhub, simulator, forex). */
export const everyTradeCounts: EligibilityRule = () => 'full';
