import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { dayNumberOf, parseCivilDate, type DayNumber } from '../../trading/calendar/civil-date.ts';

/** The days a backtest reads, both ends included, as day numbers (days since 1970-01-01). */
export interface DayRange {
  readonly from: DayNumber;
  readonly to: DayNumber;
}

export function dayRange(from: string | undefined, to: string | undefined): DayRange {
  const range = { from: dayOption('from', from) ?? -Infinity, to: dayOption('to', to) ?? Infinity };
  if (range.from > range.to) throw new TickflowError(ERROR_CODES.USAGE, `from (${from}) is after to (${to})`);
  return range;
}

export function includesDay(range: DayRange, day: DayNumber): boolean {
  return day >= range.from && day <= range.to;
}

/** The day number of Lean's `YYYYMMDD`. */
export function leanDay(date: string): DayNumber {
  return dayNumberOf(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)));
}

function dayOption(name: string, text: string | undefined): DayNumber | null {
  if (text === undefined) return null;
  const day = parseCivilDate(text);
  if (day === null) throw new TickflowError(ERROR_CODES.USAGE, `${name} must be a date YYYY-MM-DD, not ${JSON.stringify(text)}`);
  return day;
}
