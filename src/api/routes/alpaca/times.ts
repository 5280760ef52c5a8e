import { timeZoneOffsetMs } from '../../../time-zone.ts';

/** Unix ms → RFC 3339 in UTC with milliseconds (`2024-01-02T14:30:00.000Z`), as Alpaca writes order times. */
export const utcTime = (ms: number): string => new Date(ms).toISOString();

export const utcTimeOrNull = (ms: number | null): string | null => (ms === null ? null : utcTime(ms));

/** Unix ms → RFC 3339 with the zone's offset (`2024-01-02T09:30:00.000-05:00`), as Alpaca's clock writes New York times. */
export function zonedTime(timeZone: string, ms: number): string {
  const offset = timeZoneOffsetMs(timeZone, ms);
  const local = new Date(ms + offset).toISOString().slice(0, -1);
  if (offset === 0) return `${local}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** The wall time of `ms` in a zone as `HH:MM`, or `HHMM` without the colon (Alpaca's `session_open`). */
export function wallClock(timeZone: string, ms: number, colon = true): string {
  const local = new Date(ms + timeZoneOffsetMs(timeZone, ms)).toISOString();
  return colon ? local.slice(11, 16) : local.slice(11, 13) + local.slice(14, 16);
}
