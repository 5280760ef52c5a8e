import { InternalError } from '../../errors.ts';
import { type CivilDate, dayAt, type DayNumber, toDayNumber } from './civil-date.ts';
import { cryptoSchedule } from './crypto.ts';
import { forexSchedule } from './forex.ts';
import type { Market } from './market.ts';
import type { MarketSchedule, Phase, Session } from './session.ts';
import { usEquitySchedule } from './us-equity.ts';

/**
 * The market calendars as the trading engine and the API ask them. Pure: every question names the
 * moment it is about (Unix ms of event time), nothing reads the wall clock, and the same question
 * always gets the same answer.
 */

export interface HoursOptions {
  /** Count pre- and post-market hours as open (US equities; the other markets have none). Default false. */
  readonly extendedHours?: boolean;
}

/** What Alpaca's `GET /v2/clock` reports, in Unix ms; `isOpen` is about the regular session. */
export interface MarketClock {
  readonly timestamp: number;
  readonly isOpen: boolean;
  readonly nextOpen: number;
  readonly nextClose: number;
}

const SCHEDULES: Readonly<Record<Market, MarketSchedule>> = {
  'us-equity': usEquitySchedule,
  forex: forexSchedule,
  crypto: cryptoSchedule,
};

/** Far longer than any closure since 1998 (the longest: September 11–14, 2001, four weekdays). */
const MAX_SCAN_DAYS = 31;
const SESSIONS_KEPT = 4_096;
const memo = new Map<Market, Map<DayNumber, Session | null>>();

/** The IANA time zone a market's days are written in (`America/New_York`; `UTC` for crypto). */
export function timeZoneOf(market: Market): string {
  return SCHEDULES[market].timeZone;
}

/** The session of a trading day, or null when the market does not trade that day. */
export function session(market: Market, date: CivilDate): Session | null {
  return sessionOn(market, toDayNumber(date));
}

/** Why the market does not trade on `date` (`weekend`, `Christmas Day`, `Hurricane Sandy`), or null when it does. */
export function closure(market: Market, date: CivilDate): string | null {
  return SCHEDULES[market].closure(toDayNumber(date));
}

/** The sessions of the trading days from `from` to `to`, both included, in order (Alpaca's `GET /v2/calendar`). */
export function sessions(market: Market, from: CivilDate, to: CivilDate): Session[] {
  const list: Session[] = [];
  for (let day = toDayNumber(from), last = toDayNumber(to); day <= last; day++) {
    const found = sessionOn(market, day);
    if (found) list.push(found);
  }
  return list;
}

/** The session whose hours, extended hours included, contain `ts`; null when the market is closed then. */
export function sessionAt(market: Market, ts: number): Session | null {
  const found = firstSession(market, ts, (candidate) => candidate.postClose > ts);
  return found.preOpen <= ts ? found : null;
}

/**
 * The session in progress at `ts` (extended hours included) or, when the market is closed, the next
 * one: the session a `day` order placed at `ts` belongs to.
 */
export function currentOrNextSession(market: Market, ts: number): Session {
  return firstSession(market, ts, (candidate) => candidate.postClose > ts);
}

export function phase(market: Market, ts: number): Phase {
  const current = sessionAt(market, ts);
  if (!current) return 'closed';
  if (ts < current.open) return 'pre';
  return ts < current.close ? 'regular' : 'post';
}

export function isOpen(market: Market, ts: number, options: HoursOptions = {}): boolean {
  const now = phase(market, ts);
  return now === 'regular' || (options.extendedHours === true && now !== 'closed');
}

/** The first open strictly after `ts` (the pre-market open with `extendedHours`). */
export function nextOpen(market: Market, ts: number, options: HoursOptions = {}): number {
  const opening = options.extendedHours === true ? (found: Session) => found.preOpen : (found: Session) => found.open;
  return opening(firstSession(market, ts, (candidate) => opening(candidate) > ts));
}

/** The first close strictly after `ts`: the current session's when open, else the next session's. */
export function nextClose(market: Market, ts: number, options: HoursOptions = {}): number {
  const closing = options.extendedHours === true ? (found: Session) => found.postClose : (found: Session) => found.close;
  return closing(firstSession(market, ts, (candidate) => closing(candidate) > ts));
}

/** The last regular close at or before `ts` (Alpaca's "previous close": what `last_equity` is taken at). */
export function previousClose(market: Market, ts: number): number {
  requireTime(ts);
  const last = dayAt(SCHEDULES[market].timeZone, ts) + 1;
  for (let day = last; day > last - MAX_SCAN_DAYS; day--) {
    const found = sessionOn(market, day);
    if (found && found.close <= ts) return found.close;
  }
  throw new InternalError(`${market} has no session within ${MAX_SCAN_DAYS} days before ${ts}`);
}

export function clock(market: Market, ts: number): MarketClock {
  return { timestamp: ts, isOpen: isOpen(market, ts), nextOpen: nextOpen(market, ts), nextClose: nextClose(market, ts) };
}

/** The earliest session from the day before `ts`'s (a forex session starts the evening before its date) that `accept`s. */
function firstSession(market: Market, ts: number, accept: (candidate: Session) => boolean): Session {
  requireTime(ts);
  const first = dayAt(SCHEDULES[market].timeZone, ts) - 1;
  for (let day = first; day < first + MAX_SCAN_DAYS; day++) {
    const found = sessionOn(market, day);
    if (found && accept(found)) return found;
  }
  throw new InternalError(`${market} has no session within ${MAX_SCAN_DAYS} days after ${ts}`);
}

function requireTime(ts: number): void {
  if (!Number.isFinite(ts)) throw new RangeError(`not a time in Unix ms: ${ts}`);
}

function sessionOn(market: Market, day: DayNumber): Session | null {
  let known = memo.get(market);
  if (!known) memo.set(market, (known = new Map()));
  let found = known.get(day);
  if (found === undefined) {
    const computed = SCHEDULES[market].session(day);
    found = computed && Object.freeze(computed);
    if (known.size >= SESSIONS_KEPT) known.clear();
    known.set(day, found);
  }
  return found;
}
