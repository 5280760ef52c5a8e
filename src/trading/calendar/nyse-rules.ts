import {
  dayNumberOf,
  type DayNumber,
  FRIDAY,
  lastWeekday,
  MONDAY,
  nthWeekday,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  toDayNumber,
  TUESDAY,
  WEDNESDAY,
  weekdayOf,
  yearOf,
} from './civil-date.ts';
import { easterSunday } from './easter.ts';
import { NYSE_UNSCHEDULED_CLOSURES, NYSE_UNSCHEDULED_EARLY_CLOSES, type SpecialDay } from './nyse-special-days.ts';

/** One year of NYSE closures and 1:00 p.m. early closes, by day, with their names. */
interface NyseYear {
  readonly closures: ReadonlyMap<DayNumber, string>;
  readonly earlyCloses: ReadonlyMap<DayNumber, string>;
}

const years = new Map<number, NyseYear>();
const YEARS_KEPT = 256;

/** Why the NYSE is closed on this weekday (`Good Friday`), or null when it trades. Weekends are not named. */
export function nyseClosure(day: DayNumber): string | null {
  return nyseYear(yearOf(day)).closures.get(day) ?? null;
}

/** Why the NYSE closes at 1:00 p.m. on this day (`Christmas Eve`), or null on a full day or a closure. */
export function nyseEarlyClose(day: DayNumber): string | null {
  return nyseYear(yearOf(day)).earlyCloses.get(day) ?? null;
}

function nyseYear(year: number): NyseYear {
  let known = years.get(year);
  if (!known) {
    const closures = new Map([...holidays(year), ...specialDays(NYSE_UNSCHEDULED_CLOSURES, year)]);
    const earlyCloses = new Map([...earlyCloseRules(year), ...specialDays(NYSE_UNSCHEDULED_EARLY_CLOSES, year)]);
    for (const day of closures.keys()) earlyCloses.delete(day);
    known = { closures, earlyCloses };
    if (years.size >= YEARS_KEPT) years.clear();
    years.set(year, known);
  }
  return known;
}

/**
 * NYSE Rule 7.2: a holiday on a Saturday is observed the Friday before, one on a Sunday the Monday
 * after, "unless unusual business conditions exist, such as the ending of a monthly or the yearly
 * accounting period": so New Year's Day on a Saturday is not observed at all (Friday is December 31).
 */
function observed(day: DayNumber): DayNumber {
  const weekday = weekdayOf(day);
  return weekday === SATURDAY ? day - 1 : weekday === SUNDAY ? day + 1 : day;
}

function holidays(year: number): [DayNumber, string][] {
  const newYear = dayNumberOf(year, 1, 1);
  const list: [DayNumber, string][] = [
    [nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday"],
    [easterSunday(year) - 2, 'Good Friday'],
    [lastWeekday(year, 5, MONDAY), 'Memorial Day'],
    [observed(dayNumberOf(year, 7, 4)), 'Independence Day'],
    [nthWeekday(year, 9, MONDAY, 1), 'Labor Day'],
    [nthWeekday(year, 11, THURSDAY, 4), 'Thanksgiving Day'],
    [observed(dayNumberOf(year, 12, 25)), 'Christmas Day'],
  ];
  if (weekdayOf(newYear) !== SATURDAY) list.push([observed(newYear), "New Year's Day"]);
  // The NYSE first closed for Martin Luther King, Jr. Day in 1998, and for Juneteenth in 2022.
  if (year >= 1998) list.push([nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King, Jr. Day']);
  if (year >= 2022) list.push([observed(dayNumberOf(year, 6, 19)), 'Juneteenth National Independence Day']);
  return list;
}

/**
 * The scheduled 1:00 p.m. closes: the day before Independence Day when July 4 is a Tuesday, Wednesday
 * or Friday (none when it is a Monday or on a weekend); when July 4 is a Thursday, the Friday after
 * it until 2012 and the Wednesday before it since 2013; the day after Thanksgiving; Christmas Eve on
 * a Monday to Thursday.
 */
function earlyCloseRules(year: number): [DayNumber, string][] {
  const list: [DayNumber, string][] = [[nthWeekday(year, 11, THURSDAY, 4) + 1, 'Day after Thanksgiving']];
  const july4 = dayNumberOf(year, 7, 4);
  const july4Weekday = weekdayOf(july4);
  if (july4Weekday === TUESDAY || july4Weekday === WEDNESDAY || july4Weekday === FRIDAY) list.push([july4 - 1, 'Day before Independence Day']);
  if (july4Weekday === THURSDAY) list.push(year < 2013 ? [july4 + 1, 'Day after Independence Day'] : [july4 - 1, 'Day before Independence Day']);
  const christmasEve = dayNumberOf(year, 12, 24);
  if (weekdayOf(christmasEve) >= MONDAY && weekdayOf(christmasEve) <= THURSDAY) list.push([christmasEve, 'Christmas Eve']);
  return list;
}

function specialDays(days: readonly SpecialDay[], year: number): [DayNumber, string][] {
  return days.filter((special) => Number(special.date.slice(0, 4)) === year).map((special) => [toDayNumber(special.date), special.reason]);
}
