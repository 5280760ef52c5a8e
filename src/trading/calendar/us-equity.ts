import { civilDateOf, type DayNumber, HOUR_MS, instantOf, isWeekend, MINUTE_MS } from './civil-date.ts';
import { nyseClosure, nyseEarlyClose } from './nyse-rules.ts';
import type { MarketSchedule, Session } from './session.ts';

const NEW_YORK = 'America/New_York';

const PRE_OPEN = 4 * HOUR_MS;
const OPEN = 9 * HOUR_MS + 30 * MINUTE_MS;
const CLOSE = 16 * HOUR_MS;
const POST_CLOSE = 20 * HOUR_MS;
const EARLY_CLOSE = 13 * HOUR_MS;
/** On a 1:00 p.m. day the late trading session ends at 5:00 p.m. (NYSE Arca's early-closing notices). */
const EARLY_POST_CLOSE = 17 * HOUR_MS;

/**
 * US stocks and ETFs: pre-market 04:00–09:30, regular 09:30–16:00, post-market 16:00–20:00 New York
 * time, Monday to Friday, except NYSE holidays; 1:00 p.m. closes on the NYSE's early-close days.
 */
export const usEquitySchedule: MarketSchedule = {
  market: 'us-equity',
  timeZone: NEW_YORK,
  closure(day: DayNumber): string | null {
    return isWeekend(day) ? 'weekend' : nyseClosure(day);
  },
  session(day: DayNumber): Session | null {
    if (this.closure(day) !== null) return null;
    const earlyClose = nyseEarlyClose(day);
    const at = (msOfDay: number): number => instantOf(NEW_YORK, day, msOfDay);
    return {
      market: 'us-equity',
      date: civilDateOf(day),
      preOpen: at(PRE_OPEN),
      open: at(OPEN),
      close: at(earlyClose ? EARLY_CLOSE : CLOSE),
      postClose: at(earlyClose ? EARLY_POST_CLOSE : POST_CLOSE),
      earlyClose,
    };
  },
};
