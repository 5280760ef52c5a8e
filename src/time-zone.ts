/**
 * Wall-clock time in a named IANA time zone via `Intl` (no hard-coded offsets: daylight saving time
 * comes from the runtime's time-zone database). Offsets are cached per quarter hour, the finest step
 * at which any zone changes its offset, so converting a day of ticks costs a few `Intl` calls.
 */
const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;
const CACHE_LIMIT = 10_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/** Throws a RangeError for a name the runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** Offset of the zone from UTC at `utcMs`, in ms (New York in summer: −4 h = −14 400 000). */
export function timeZoneOffsetMs(timeZone: string, utcMs: number): number {
  let cache = offsets.get(timeZone);
  if (!cache) offsets.set(timeZone, (cache = new Map()));
  const bucket = Math.floor(utcMs / BUCKET_MS);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(timeZone, bucket * BUCKET_MS);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(bucket, offset);
  }
  return offset;
}

/**
 * The UTC instant of a wall-clock time: `localMs` is the wall time written as if it were UTC
 * (`Date.UTC(y, m − 1, d) + msOfDay`). In a spring-forward gap the result is shifted by the gap; in a
 * fall-back overlap it is the earlier instant.
 */
export function zonedTimeToUtc(timeZone: string, localMs: number): number {
  const first = localMs - timeZoneOffsetMs(timeZone, localMs);
  const second = localMs - timeZoneOffsetMs(timeZone, first);
  return timeZoneOffsetMs(timeZone, second) === localMs - second ? second : first;
}

/** Milliseconds since local midnight in the zone at `utcMs`. */
export function localTimeOfDayMs(timeZone: string, utcMs: number): number {
  const local = utcMs + timeZoneOffsetMs(timeZone, utcMs);
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

function computeOffset(timeZone: string, utcMs: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}
