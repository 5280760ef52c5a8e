import { everyTradeCounts } from '../../model/trade-eligibility.ts';
import type { TradeEligibility } from '../../model/trade-eligibility.ts';
import type { Trade } from '../../model/trade.ts';

/** An auction's print: the opening or closing cross of the listing exchange. */
export type AuctionKind = 'opening' | 'closing';

/**
 * What a print may do, decided from its venue conditions:
 * - `eligibility` `full`: it can fill orders, sets the price range and marks positions;
 *   `volume`: its volume counts toward queues ahead of limit orders, nothing else (average-price,
 *   derivatively priced prints: their price does not reflect the market at that moment);
 *   `none`: ignored (suspicious ticks, restatements);
 * - `auction`: it is an auction's print, which fills only `opg` (opening) and `cls` (closing) orders,
 *   because it restates the auction's volume at one price and would otherwise count that volume twice.
 */
export interface PrintClassifier {
  eligibility(trade: Trade): TradeEligibility;
  auction(trade: Trade): AuctionKind | null;
}

/** Feeds without conditions (Finnhub, the simulator, forex): every print counts, none is an auction. */
export const plainPrints: PrintClassifier = { eligibility: everyTradeCounts, auction: () => null };
