import type { CivilDate } from './civil-date.ts';

export interface SpecialDay {
  readonly date: CivilDate;
  readonly reason: string;
}

/**
 * Days since 1998 on which the NYSE closed although no rule says so (NYSE's closings history; the same
 * dates as pandas_market_calendars' `holidays_nyse.py` and Lean's market-hours database). A future
 * unscheduled closure must be added here by hand.
 */
export const NYSE_UNSCHEDULED_CLOSURES: readonly SpecialDay[] = [
  { date: '2001-09-11', reason: 'September 11 attacks' },
  { date: '2001-09-12', reason: 'September 11 attacks' },
  { date: '2001-09-13', reason: 'September 11 attacks' },
  { date: '2001-09-14', reason: 'September 11 attacks' },
  { date: '2004-06-11', reason: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', reason: 'National Day of Mourning for President Gerald Ford' },
  { date: '2012-10-29', reason: 'Hurricane Sandy' },
  { date: '2012-10-30', reason: 'Hurricane Sandy' },
  { date: '2018-12-05', reason: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter' },
];

/** 1:00 p.m. closes since 1998 that no rule gives. */
export const NYSE_UNSCHEDULED_EARLY_CLOSES: readonly SpecialDay[] = [{ date: '2003-12-26', reason: 'Day after Christmas' }];
