import { timeZoneOffsetMs, zonedTimeToUtc } from '../../time-zone.ts';

/** A calendar day as an exchange names it, `YYYY-MM-DD`, with no time zone attached. */
export type CivilDate = string;

/** Days since 1970-01-01 (a Thursday): how this folder counts civil dates internally. */
export type DayNumber = number;

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export const SUNDAY = 0;
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of `YYYY-MM-DD`, or null when the text is not a real date (`2013-02-30`). */
export function parseCivilDate(text: string): DayNumber | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const number = dayNumberOf(year, month, day);
  return civilDateOf(number) === text ? number : null;
}

/** Like `parseCivilDate`, for callers that have already validated the text. */
export function toDayNumber(date: CivilDate): DayNumber {
  const number = parseCivilDate(date);
  if (number === null) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return number;
}

export function civilDateOf(day: DayNumber): CivilDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `month` is 1–12. Out-of-range days roll over as `Date.UTC` does (day 0 is the month's eve). */
export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function yearOf(day: DayNumber): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: DayNumber): number {
  return (((day + THURSDAY) % 7) + 7) % 7;
}

export function isWeekend(day: DayNumber): boolean {
  const weekday = weekdayOf(day);
  return weekday === SATURDAY || weekday === SUNDAY;
}

/** The `n`th (1-based) given weekday of a month: Thanksgiving is `nthWeekday(year, 11, THURSDAY, 4)`. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): DayNumber {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

export function lastWeekday(year: number, month: number, weekday: number): DayNumber {
  const last = dayNumberOf(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** The civil day in `timeZone` at the instant `utcMs`. */
export function dayAt(timeZone: string, utcMs: number): DayNumber {
  return Math.floor((utcMs + timeZoneOffsetMs(timeZone, utcMs)) / DAY_MS);
}

/** The instant of wall-clock time `msOfDay` on `day` in `timeZone` (DST handled by the runtime's zone data). */
export function instantOf(timeZone: string, day: DayNumber, msOfDay: number): number {
  return zonedTimeToUtc(timeZone, day * DAY_MS + msOfDay);
}
