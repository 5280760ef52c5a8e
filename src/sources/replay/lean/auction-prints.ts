import { ALGOSEEK_CONDITION, parseAlgoSeekCode } from './algoseek-flags.ts';

/** Conditions added to the print that reports a session's opening or closing auction. */
export const OPENING_AUCTION_CONDITION = 'opening-auction';
export const CLOSING_AUCTION_CONDITION = 'closing-auction';

const C = ALGOSEEK_CONDITION;
/** Every print that reports an auction: its executions, and the official open or close restating them. */
export const AUCTION_REPORT = C.OPENING_PRINTS | C.CLOSING_PRINTS | C.OFFICIAL_OPEN | C.OFFICIAL_CLOSE;
const OPENING = C.OPENING_PRINTS | C.OFFICIAL_OPEN;
const CLOSING = C.CLOSING_PRINTS | C.OFFICIAL_CLOSE;

/**
 * Listing exchange, in Lean's exchange codes, of the US equities whose ticks are in ../shared/data.
 * Lean reads it from its map files, which that data does not include.
 */
const PRIMARY_EXCHANGES: Readonly<Record<string, string>> = { SPY: 'P' };

export function primaryExchangeOf(symbol: string): string | null {
  return PRIMARY_EXCHANGES[symbol] ?? null;
}

/**
 * Finds, in one day of one symbol's trades read in file order, the print that reports each auction:
 * the first print of the listing exchange flagged as an opening (closing) print or as the official
 * open (close). That is how Lean itself finds the official open and close (its equity fill model,
 * for market-on-open and market-on-close orders), and the one auction print its bars keep (SPY,
 * 2013-10-07: of NYSE Arca's 352 opening prints only the first, 1,750 shares, is in Lean's 09:30
 * bar). Returns the condition to add to the print, or `null`. Without a listing exchange no print
 * is marked.
 */
export function auctionPrintMarker(primaryExchange: string | null): (exchange: string, saleCondition: string) => string | null {
  let openingSeen = false;
  let closingSeen = false;
  return (exchange, saleCondition) => {
    if (exchange !== primaryExchange || (openingSeen && closingSeen)) return null;
    const flags = parseAlgoSeekCode(saleCondition);
    if (flags === null) return null;
    if (!openingSeen && flags & OPENING) {
      openingSeen = true;
      return OPENING_AUCTION_CONDITION;
    }
    if (!closingSeen && flags & CLOSING) {
      closingSeen = true;
      return CLOSING_AUCTION_CONDITION;
    }
    return null;
  };
}
