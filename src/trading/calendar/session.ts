import type { CivilDate, DayNumber } from './civil-date.ts';
import type { Market } from './market.ts';

/** Where a moment falls in a market's day. Forex and crypto have no extended hours: `regular` or `closed`. */
export type Phase = 'pre' | 'regular' | 'post' | 'closed';

/**
 * One trading day of a market. Times are Unix ms, `preOpen ≤ open < close ≤ postClose`, and each
 * interval is half-open: at `close` the regular session is over. Where a market has no extended
 * hours, `preOpen = open` and `postClose = close`.
 */
export interface Session {
  readonly market: Market;
  /** The trading day in the market's time zone (forex: the day the session ends on, at 17:00 New York). */
  readonly date: CivilDate;
  readonly preOpen: number;
  readonly open: number;
  readonly close: number;
  readonly postClose: number;
  /** Why the regular session ends early (`Christmas Eve`), or null on a full day. */
  readonly earlyClose: string | null;
}

/** What a market's calendar must say about each civil day of its time zone. */
export interface MarketSchedule {
  readonly market: Market;
  /** The IANA zone the market's days and hours are written in. */
  readonly timeZone: string;
  /** Why the market does not trade that day (`weekend`, `Good Friday`), or null when it does. */
  closure(day: DayNumber): string | null;
  /** The day's session; null exactly when `closure(day)` is not. */
  session(day: DayNumber): Session | null;
}
