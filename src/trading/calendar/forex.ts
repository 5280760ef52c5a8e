import { civilDateOf, type DayNumber, HOUR_MS, instantOf, isWeekend } from './civil-date.ts';
import type { MarketSchedule, Session } from './session.ts';

const NEW_YORK = 'America/New_York';
/** The forex day rolls at 5:00 p.m. New York, the market's conventional end of day. */
const ROLL = 17 * HOUR_MS;

/**
 * Spot forex, 24 hours a day five days a week: from Sunday 17:00 to Friday 17:00 New York time, with
 * no holidays. A trading day runs from 17:00 the day before to 17:00 and is named by the day it ends
 * on, so Monday's session opens on Sunday evening and the sessions of a week follow each other
 * without a gap.
 */
export const forexSchedule: MarketSchedule = {
  market: 'forex',
  timeZone: NEW_YORK,
  closure(day: DayNumber): string | null {
    return isWeekend(day) ? 'weekend' : null;
  },
  session(day: DayNumber): Session | null {
    if (isWeekend(day)) return null;
    const open = instantOf(NEW_YORK, day - 1, ROLL);
    const close = instantOf(NEW_YORK, day, ROLL);
    return { market: 'forex', date: civilDateOf(day), preOpen: open, open, close, postClose: close, earlyClose: null };
  },
};
