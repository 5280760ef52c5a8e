import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clock,
  closure,
  currentOrNextSession,
  isOpen,
  nextClose,
  nextOpen,
  phase,
  session,
  sessionAt,
  sessions,
} from '../../../src/trading/calendar/calendar.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

function hours(date: string): [string, string, string, string, string | null] | null {
  const found = session('us-equity', date);
  return found && [iso(found.preOpen), iso(found.open), iso(found.close), iso(found.postClose), found.earlyClose];
}

describe('the US equity calendar', () => {
  it('holds pre-market 04:00, regular 09:30–16:00 and post-market to 20:00 New York time on a full day', () => {
    assert.deepEqual(hours('2013-10-07'), ['2013-10-07T08:00:00.000Z', '2013-10-07T13:30:00.000Z', '2013-10-07T20:00:00.000Z', '2013-10-08T00:00:00.000Z', null]);
    assert.equal(session('us-equity', '2013-10-07')?.date, '2013-10-07');
    assert.equal(closure('us-equity', '2013-10-07'), null);
  });

  it('moves the UTC hours with daylight saving time (2013-03-10 and 2013-11-03)', () => {
    assert.deepEqual(hours('2013-03-08'), ['2013-03-08T09:00:00.000Z', '2013-03-08T14:30:00.000Z', '2013-03-08T21:00:00.000Z', '2013-03-09T01:00:00.000Z', null]);
    assert.equal(hours('2013-03-10'), null);
    assert.deepEqual(hours('2013-03-11'), ['2013-03-11T08:00:00.000Z', '2013-03-11T13:30:00.000Z', '2013-03-11T20:00:00.000Z', '2013-03-12T00:00:00.000Z', null]);
    assert.equal(iso(nextOpen('us-equity', at('2013-03-08T21:00:00Z'))), '2013-03-11T13:30:00.000Z');

    assert.deepEqual(hours('2013-11-01'), ['2013-11-01T08:00:00.000Z', '2013-11-01T13:30:00.000Z', '2013-11-01T20:00:00.000Z', '2013-11-02T00:00:00.000Z', null]);
    assert.equal(hours('2013-11-03'), null);
    assert.deepEqual(hours('2013-11-04'), ['2013-11-04T09:00:00.000Z', '2013-11-04T14:30:00.000Z', '2013-11-04T21:00:00.000Z', '2013-11-05T01:00:00.000Z', null]);
    assert.equal(iso(nextOpen('us-equity', at('2013-11-01T20:00:00Z'))), '2013-11-04T14:30:00.000Z');
  });

  it('is closed over a weekend and opens again on Monday', () => {
    assert.equal(session('us-equity', '2013-10-05'), null);
    assert.equal(closure('us-equity', '2013-10-06'), 'weekend');
    const saturday = at('2013-10-05T16:00:00Z');
    assert.equal(phase('us-equity', saturday), 'closed');
    assert.equal(sessionAt('us-equity', saturday), null);
    assert.equal(currentOrNextSession('us-equity', saturday).date, '2013-10-07');
    assert.deepEqual(clock('us-equity', saturday), {
      timestamp: saturday,
      isOpen: false,
      nextOpen: at('2013-10-07T13:30:00Z'),
      nextClose: at('2013-10-07T20:00:00Z'),
    });
    assert.equal(iso(nextOpen('us-equity', saturday, { extendedHours: true })), '2013-10-07T08:00:00.000Z');
  });

  it('closes on a holiday and at 1:00 p.m. the day before Independence Day (2013-07-03, 2013-07-04)', () => {
    assert.equal(session('us-equity', '2013-07-04'), null);
    assert.equal(closure('us-equity', '2013-07-04'), 'Independence Day');
    assert.deepEqual(hours('2013-07-03'), ['2013-07-03T08:00:00.000Z', '2013-07-03T13:30:00.000Z', '2013-07-03T17:00:00.000Z', '2013-07-03T21:00:00.000Z', 'Day before Independence Day']);

    const beforeBell = at('2013-07-03T16:59:59.999Z');
    assert.deepEqual(clock('us-equity', beforeBell), { timestamp: beforeBell, isOpen: true, nextOpen: at('2013-07-05T13:30:00Z'), nextClose: at('2013-07-03T17:00:00Z') });
    const bell = at('2013-07-03T17:00:00Z');
    assert.equal(phase('us-equity', bell), 'post');
    assert.deepEqual(clock('us-equity', bell), { timestamp: bell, isOpen: false, nextOpen: at('2013-07-05T13:30:00Z'), nextClose: at('2013-07-05T20:00:00Z') });
    assert.equal(iso(nextClose('us-equity', bell, { extendedHours: true })), '2013-07-03T21:00:00.000Z');
  });

  it('closes at 1:00 p.m. on the day after Thanksgiving (2013-11-29) and on Christmas Eve, and not on Christmas (2013-12-25)', () => {
    assert.deepEqual(hours('2013-11-29'), ['2013-11-29T09:00:00.000Z', '2013-11-29T14:30:00.000Z', '2013-11-29T18:00:00.000Z', '2013-11-29T22:00:00.000Z', 'Day after Thanksgiving']);
    assert.deepEqual(
      sessions('us-equity', '2013-11-25', '2013-12-01').map((found) => [found.date, found.earlyClose]),
      [['2013-11-25', null], ['2013-11-26', null], ['2013-11-27', null], ['2013-11-29', 'Day after Thanksgiving']],
    );
    assert.equal(closure('us-equity', '2013-11-28'), 'Thanksgiving Day');

    assert.equal(hours('2013-12-24')?.[4], 'Christmas Eve');
    assert.equal(closure('us-equity', '2013-12-25'), 'Christmas Day');
    assert.equal(phase('us-equity', at('2013-12-24T19:00:00Z')), 'post');
    assert.equal(phase('us-equity', at('2013-12-24T22:00:00Z')), 'closed');
    assert.equal(phase('us-equity', at('2013-12-25T15:00:00Z')), 'closed');
    assert.equal(iso(nextOpen('us-equity', at('2013-12-24T18:00:00Z'))), '2013-12-26T14:30:00.000Z');
  });

  it('closes on Good Friday, found by the Easter computus', () => {
    for (const goodFriday of ['2000-04-21', '2008-03-21', '2013-03-29', '2014-04-18', '2019-04-19', '2024-03-29', '2025-04-18', '2038-04-23']) {
      assert.equal(closure('us-equity', goodFriday), 'Good Friday', goodFriday);
    }
    assert.equal(iso(nextOpen('us-equity', at('2013-03-28T20:00:00Z'))), '2013-04-01T13:30:00.000Z');
  });

  it('observes Saturday holidays on Friday and Sunday ones on Monday, except New Year on a Saturday', () => {
    assert.equal(closure('us-equity', '2015-07-03'), 'Independence Day');
    assert.equal(closure('us-equity', '2022-06-20'), 'Juneteenth National Independence Day');
    assert.equal(closure('us-equity', '2021-12-24'), 'Christmas Day');
    assert.equal(closure('us-equity', '2023-01-02'), "New Year's Day");
    assert.equal(closure('us-equity', '2021-12-31'), null);
    assert.equal(closure('us-equity', '2021-06-18'), null, 'Juneteenth only from 2022');
    assert.equal(closure('us-equity', '2012-10-30'), 'Hurricane Sandy');
  });

  it('places every moment of a day in its phase, intervals half-open', () => {
    const day = session('us-equity', '2013-10-07')!;
    const expected: [number, string][] = [
      [day.preOpen - 1, 'closed'],
      [day.preOpen, 'pre'],
      [day.open - 1, 'pre'],
      [day.open, 'regular'],
      [day.close - 1, 'regular'],
      [day.close, 'post'],
      [day.postClose - 1, 'post'],
      [day.postClose, 'closed'],
    ];
    assert.deepEqual(expected.map(([ts]) => [ts, phase('us-equity', ts)]), expected);
    assert.equal(isOpen('us-equity', day.preOpen), false);
    assert.equal(isOpen('us-equity', day.preOpen, { extendedHours: true }), true);
    assert.equal(isOpen('us-equity', day.postClose, { extendedHours: true }), false);
    assert.equal(sessionAt('us-equity', day.close)?.date, '2013-10-07');
    assert.equal(nextOpen('us-equity', day.open), session('us-equity', '2013-10-08')!.open, 'strictly after');
  });

  it('answers the same question the same way, whatever was asked before', () => {
    const questions = (): unknown[] => [hours('2013-12-24'), clock('us-equity', at('2013-12-24T18:00:00Z')), sessions('us-equity', '2001-09-07', '2001-09-18').map((found) => found.date)];
    const first = questions();
    sessions('us-equity', '1998-01-01', '2028-12-31');
    assert.deepEqual(questions(), first);
    assert.deepEqual(first[2], ['2001-09-07', '2001-09-10', '2001-09-17', '2001-09-18']);
  });

  it('refuses a date that does not exist and a time that is not a number', () => {
    assert.throws(() => session('us-equity', '2013-02-30'), RangeError);
    assert.throws(() => sessions('us-equity', '2013-1-1', '2013-12-31'), RangeError);
    assert.throws(() => nextOpen('us-equity', Number.NaN), RangeError);
    assert.deepEqual(sessions('us-equity', '2013-10-08', '2013-10-07'), []);
  });
});
