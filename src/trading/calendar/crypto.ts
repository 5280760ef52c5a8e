import { civilDateOf, DAY_MS, type DayNumber } from './civil-date.ts';
import type { MarketSchedule, Session } from './session.ts';

/**
 * Crypto trades around the clock every day. Its trading days are UTC calendar days (how the venues
 * tickflow streams, Binance among them, cut their daily statistics), so a session opens at UTC
 * midnight and closes at the next one, where the next session opens.
 */
export const cryptoSchedule: MarketSchedule = {
  market: 'crypto',
  timeZone: 'UTC',
  closure(): string | null {
    return null;
  },
  session(day: DayNumber): Session {
    const open = day * DAY_MS;
    const close = open + DAY_MS;
    return { market: 'crypto', date: civilDateOf(day), preOpen: open, open, close, postClose: close, earlyClose: null };
  },
};
