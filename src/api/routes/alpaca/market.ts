import type { FastifyPluginAsync } from 'fastify';
import { clock, sessions, timeZoneOf } from '../../../trading/calendar/calendar.ts';
import { civilDateOf, DAY_MS, parseCivilDate, toDayNumber } from '../../../trading/calendar/civil-date.ts';
import type { Session } from '../../../trading/calendar/session.ts';
import { docs } from './common.ts';
import { unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { wallClock, zonedTime } from './times.ts';

/** Alpaca's clock and calendar are the US equity market's, in New York time. */
const MARKET = 'us-equity';
const ZONE = timeZoneOf(MARKET);
/** Alpaca's default range is long; a year each way keeps the answer small enough. */
const MAX_CALENDAR_DAYS = 3_660;

function calendarDay(session: Session, next: Session | undefined): Record<string, string> {
  return {
    date: session.date,
    open: wallClock(ZONE, session.open),
    close: wallClock(ZONE, session.close),
    session_open: wallClock(ZONE, session.preOpen, false),
    session_close: wallClock(ZONE, session.postClose, false),
    // T+1: the next trading day.
    settlement_date: next?.date ?? session.date,
  };
}

function dateParameter(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  const day = parseCivilDate(value.slice(0, 10));
  if (day === null || (value.length > 10 && !/^T/.test(value.slice(10)))) throw unprocessable(`${name} must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
  const date = civilDateOf(day);
  if (date < '1970-01-01' || date > '2100-12-31') throw unprocessable(`${name} must be from 1970 to 2100 (got ${JSON.stringify(value)})`);
  return date;
}

/** `GET /v2/clock`, `GET /v2/calendar`: US equities from src/trading/calendar. */
export const marketRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { now = Date.now }) => {
  app.get('/v2/clock', { schema: docs('The US equity market clock (SDK: trading.clock.legacyClock()), New York time') }, async () => {
    const at = now();
    const state = clock(MARKET, at);
    return { timestamp: zonedTime(ZONE, at), is_open: state.isOpen, next_open: zonedTime(ZONE, state.nextOpen), next_close: zonedTime(ZONE, state.nextClose) };
  });

  app.get<{ Querystring: { start?: string; end?: string } }>(
    '/v2/calendar',
    { schema: docs('US equity trading days from start to end (dates, both included; SDK: trading.calendar.legacyCalendar())') },
    async (request) => {
      const today = civilDateOf(Math.floor(now() / DAY_MS));
      const start = dateParameter('start', request.query.start, today);
      const end = dateParameter('end', request.query.end, civilDateOf(toDayNumber(today) + 30));
      if (end < start) throw unprocessable(`end (${end}) is before start (${start})`);
      if (toDayNumber(end) - toDayNumber(start) > MAX_CALENDAR_DAYS) throw unprocessable(`start to end must span at most ${MAX_CALENDAR_DAYS} days`);
      const days = sessions(MARKET, start, civilDateOf(toDayNumber(end) + 10));
      const inRange = days.filter((session) => session.date <= end);
      return inRange.map((session, index) => calendarDay(session, days[index + 1]));
    },
  );
};
