import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { closure, phase, session } from '../../../src/trading/calendar/calendar.ts';
import { civilDateOf, dayNumberOf, isWeekend, parseCivilDate } from '../../../src/trading/calendar/civil-date.ts';
import type { Market } from '../../../src/trading/calendar/market.ts';
import type { Phase } from '../../../src/trading/calendar/session.ts';
import { localTimeOfDayMs, timeZoneOffsetMs } from '../../../src/time-zone.ts';

/** Lean's market-hours database (Apache-2.0), read where it lies beside the clone; never copied into the project. */
const DATABASE = join(import.meta.dirname, '../../../../shared/data/market-hours/market-hours-database.json');

interface LeanSegment {
  readonly start: string;
  readonly end: string;
  readonly state: 'premarket' | 'market' | 'postmarket';
}

type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
const WEEKDAYS: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type LeanEntry = Readonly<Record<Weekday, readonly LeanSegment[]>> & {
  readonly exchangeTimeZone: string;
  readonly holidays?: readonly string[];
  readonly earlyCloses?: Readonly<Record<string, string>>;
};

const STATES: Readonly<Record<LeanSegment['state'], Phase>> = { premarket: 'pre', market: 'regular', postmarket: 'post' };
const DAY_MS = 86_400_000;
const FIRST = dayNumberOf(1998, 1, 1);
const LAST = dayNumberOf(2028, 12, 31);

/** Lean writes `M/D/YYYY`. */
function leanDate(text: string): string {
  const [month, day, year] = text.split('/').map(Number);
  return civilDateOf(dayNumberOf(year!, month!, day!));
}

/** `HH:MM:SS`, or `1.00:00:00` for the end of the day. */
function leanTime(text: string): number {
  const [days, clock] = text.includes('.') ? [Number(text.split('.')[0]), text.split('.')[1]!] : [0, text];
  const [hours, minutes, seconds] = clock.split(':').map(Number);
  return days * DAY_MS + ((hours! * 60 + minutes!) * 60 + seconds!) * 1000;
}

/** Lean's state at `ts` from the weekly template alone: holidays and early closes are compared by date. */
function leanPhase(entry: LeanEntry, ts: number): Phase {
  const local = ts + timeZoneOffsetMs(entry.exchangeTimeZone, ts);
  const day = Math.floor(local / DAY_MS);
  const msOfDay = local - day * DAY_MS;
  const segment = entry[WEEKDAYS[(((day + 4) % 7) + 7) % 7]!].find((candidate) => leanTime(candidate.start) <= msOfDay && msOfDay < leanTime(candidate.end));
  return segment ? STATES[segment.state] : 'closed';
}

function weekdaysFrom1998To2028(): string[] {
  const days: string[] = [];
  for (let day = FIRST; day <= LAST; day++) if (!isWeekend(day)) days.push(civilDateOf(day));
  return days;
}

describe("the calendars against Lean's market-hours database", () => {
  let entries: Readonly<Record<string, LeanEntry>>;
  before(async () => {
    entries = (JSON.parse(await readFile(DATABASE, 'utf8')) as { entries: Record<string, LeanEntry> }).entries;
  });

  it('closes the US equity market on the same weekdays, 1998 through 2028', () => {
    const lean = entries['Equity-usa-[*]']!.holidays!.map(leanDate);
    const leanWeekdays = new Set(lean.filter((date) => !isWeekend(parseCivilDate(date)!)));
    // Lean also lists two New Year's Days that fell on a Saturday; the NYSE did not observe them (Rule 7.2).
    assert.deepEqual(lean.filter((date) => !leanWeekdays.has(date)), ['2011-01-01', '2022-01-01']);

    const ours = weekdaysFrom1998To2028().filter((date) => closure('us-equity', date) !== null);
    assert.deepEqual(ours, [...leanWeekdays].sort());
    assert.equal(ours.length, 291);
  });

  it('closes at 13:00 on the same days, but for the two 1998 early closes Lean lacks', () => {
    const lean = Object.entries(entries['Equity-usa-[*]']!.earlyCloses!).map(([date, time]) => [leanDate(date), time] as const);
    assert.deepEqual(new Set(lean.map(([, time]) => time)), new Set(['13:00:00']));
    const leanDates = new Set(lean.map(([date]) => date));

    const ours = weekdaysFrom1998To2028().filter((date) => session('us-equity', date)?.earlyClose);
    for (const date of ours) {
      const found = session('us-equity', date)!;
      assert.equal(localTimeOfDayMs('America/New_York', found.close), 13 * 3_600_000, `${date} closes at 13:00 New York`);
    }
    // NYSE's closings history (and pandas_market_calendars) has 1:00 p.m. closes on Friday 1998-11-27
    // and Thursday 1998-12-24; Lean's early closes start in 1999. Lean lists Christmas Eve 2017, a Sunday.
    assert.deepEqual(ours.filter((date) => !leanDates.has(date)), ['1998-11-27', '1998-12-24']);
    assert.deepEqual([...leanDates].filter((date) => !ours.includes(date)).sort(), ['2017-12-24']);
    assert.equal(ours.length, 66);
  });

  it('keeps the same hours in every half hour of 2012 to 2014 (US equity, forex, crypto)', () => {
    const markets: [Market, string][] = [
      ['us-equity', 'Equity-usa-[*]'],
      ['forex', 'Forex-interactivebrokers-[*]'],
      ['crypto', 'Crypto-binance-[*]'],
    ];
    for (const [market, key] of markets) {
      const entry = entries[key]!;
      const holidays = new Set((entry.holidays ?? []).map(leanDate));
      const earlyCloses = new Set(Object.keys(entry.earlyCloses ?? {}).map(leanDate));
      const differences: string[] = [];
      let compared = 0;
      for (let ts = Date.UTC(2012, 0, 1); ts < Date.UTC(2015, 0, 1); ts += 1_800_000) {
        const local = civilDateOf(Math.floor((ts + timeZoneOffsetMs(entry.exchangeTimeZone, ts)) / DAY_MS));
        if (earlyCloses.has(local)) continue;
        const expected = holidays.has(local) ? 'closed' : leanPhase(entry, ts);
        compared++;
        if (phase(market, ts) !== expected) differences.push(`${new Date(ts).toISOString()}: ${phase(market, ts)} vs Lean ${expected}`);
      }
      assert.deepEqual(differences.slice(0, 10), [], market);
      assert.ok(compared > 52_000, `${market}: ${compared} half hours compared`);
    }
  });
});
