import type { Trade } from '../../model/trade.ts';
import { algoSeekFlags, ALGOSEEK_CONDITION } from '../../sources/replay/lean/algoseek-flags.ts';
import { leanEquityEligibility } from '../../sources/replay/lean/sale-conditions.ts';
import type { AuctionKind, PrintClassifier } from './print-classifier.ts';

/**
 * Lean's (AlgoSeek's) US-equity sale conditions: the official open and official close prints are the
 * auctions (on SPY 2013-10-07: 251,288 shares at 09:30:00.785 and 3,166,418 at 16:00:00.735, both on
 * Arca, the listing exchange); otherwise Lean's bar rule decides which prints can fill.
 */
export const leanEquityPrints: PrintClassifier = {
  eligibility: leanEquityEligibility,
  auction(trade: Trade): AuctionKind | null {
    const flags = algoSeekFlags(trade);
    if (flags === null) return null;
    if (flags & ALGOSEEK_CONDITION.OFFICIAL_OPEN) return 'opening';
    if (flags & ALGOSEEK_CONDITION.OFFICIAL_CLOSE) return 'closing';
    return null;
  },
};
