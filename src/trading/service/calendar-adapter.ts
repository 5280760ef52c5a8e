import * as calendar from '../calendar/calendar.ts';
import { MARKETS, type Market } from '../calendar/market.ts';
import type { MarketCalendar, SessionPhase } from '../engine/market-calendar.ts';

const isMarket = (name: string): name is Market => (MARKETS as readonly string[]).includes(name);

/**
 * The engine's `MarketCalendar` over src/trading/calendar. Crypto never closes: its UTC days are
 * trading days for `GET /v2/calendar`, but no order expires at midnight, so `nextOpen` and
 * `nextClose` answer `null` for it. A market name the calendar does not know is always closed.
 */
export const tradingCalendar: MarketCalendar = {
  phase(market: string, ts: number): SessionPhase {
    return isMarket(market) ? calendar.phase(market, ts) : 'closed';
  },
  nextOpen(market: string, ts: number): number | null {
    return isMarket(market) && market !== 'crypto' ? calendar.nextOpen(market, ts) : null;
  },
  nextClose(market: string, ts: number, extended: boolean): number | null {
    return isMarket(market) && market !== 'crypto' ? calendar.nextClose(market, ts, { extendedHours: extended }) : null;
  },
};
