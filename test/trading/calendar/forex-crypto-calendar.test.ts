import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, closure, isOpen, nextClose, nextOpen, phase, session, sessionAt, sessions } from '../../../src/trading/calendar/calendar.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

describe('the forex calendar', () => {
  it('trades from Sunday 17:00 to Friday 17:00 New York, one session per weekday without gaps', () => {
    const week = sessions('forex', '2013-10-05', '2013-10-13');
    assert.deepEqual(week.map((found) => found.date), ['2013-10-07', '2013-10-08', '2013-10-09', '2013-10-10', '2013-10-11']);
    assert.equal(iso(week[0]!.open), '2013-10-06T21:00:00.000Z');
    assert.equal(iso(week.at(-1)!.close), '2013-10-11T21:00:00.000Z');
    for (let index = 1; index < week.length; index++) assert.equal(week[index]!.open, week[index - 1]!.close);
    for (const found of week) assert.deepEqual([found.preOpen, found.postClose, found.earlyClose], [found.open, found.close, null]);
    assert.equal(closure('forex', '2013-10-12'), 'weekend');
    assert.equal(closure('forex', '2013-12-25'), null, 'no holidays');
  });

  it('is open through the daily 17:00 roll and closed over the weekend', () => {
    const roll = at('2013-10-08T21:00:00Z');
    assert.equal(phase('forex', roll - 1), 'regular');
    assert.equal(phase('forex', roll), 'regular');
    assert.equal(sessionAt('forex', roll)?.date, '2013-10-09');
    assert.equal(nextClose('forex', roll), at('2013-10-09T21:00:00Z'));
    assert.equal(phase('forex', at('2013-10-11T21:00:00Z')), 'closed');
    assert.equal(isOpen('forex', at('2013-10-12T12:00:00Z'), { extendedHours: true }), false);
    assert.equal(phase('forex', at('2013-10-13T20:59:59.999Z')), 'closed');
    assert.equal(phase('forex', at('2013-10-13T21:00:00Z')), 'regular');
    const saturday = at('2013-10-12T12:00:00Z');
    assert.deepEqual(clock('forex', saturday), { timestamp: saturday, isOpen: false, nextOpen: at('2013-10-13T21:00:00Z'), nextClose: at('2013-10-14T21:00:00Z') });
  });

  it('keeps 17:00 New York across daylight saving time: the weekend that holds the change is 47 h in March and 49 h in November', () => {
    // US clocks change at 02:00 on a Sunday, inside the weekend closure: no session spans the change,
    // the closed weekend does, and the sessions either side of it start at different UTC hours.
    const fridayMarch = session('forex', '2013-03-08')!;
    const mondayMarch = session('forex', '2013-03-11')!;
    assert.deepEqual([iso(fridayMarch.open), iso(fridayMarch.close)], ['2013-03-07T22:00:00.000Z', '2013-03-08T22:00:00.000Z']);
    assert.deepEqual([iso(mondayMarch.open), iso(mondayMarch.close)], ['2013-03-10T21:00:00.000Z', '2013-03-11T21:00:00.000Z']);
    assert.equal(nextOpen('forex', fridayMarch.close), mondayMarch.open);
    assert.equal((mondayMarch.open - fridayMarch.close) / HOUR_MS, 47);

    const fridayNovember = session('forex', '2013-11-01')!;
    const mondayNovember = session('forex', '2013-11-04')!;
    assert.equal(iso(fridayNovember.close), '2013-11-01T21:00:00.000Z');
    assert.deepEqual([iso(mondayNovember.open), iso(mondayNovember.close)], ['2013-11-03T22:00:00.000Z', '2013-11-04T22:00:00.000Z']);
    assert.equal((mondayNovember.open - fridayNovember.close) / HOUR_MS, 49);
    assert.equal(phase('forex', at('2013-11-03T06:30:00Z')), 'closed', 'the repeated 01:00–02:00 hour');
  });
});

describe('the crypto calendar', () => {
  it('trades every moment of every day, its days UTC days', () => {
    for (const moment of ['2013-10-05T00:00:00Z', '2013-10-06T23:59:59.999Z', '2013-12-25T12:00:00Z', '2013-03-10T07:00:00Z']) {
      assert.equal(phase('crypto', at(moment)), 'regular', moment);
    }
    const saturday = session('crypto', '2013-10-05')!;
    assert.deepEqual([iso(saturday.open), iso(saturday.close)], ['2013-10-05T00:00:00.000Z', '2013-10-06T00:00:00.000Z']);
    assert.equal(sessions('crypto', '2013-10-01', '2013-10-31').length, 31);
    assert.equal(closure('crypto', '2013-12-25'), null);
    const noon = at('2013-10-05T12:00:00Z');
    assert.deepEqual(clock('crypto', noon), { timestamp: noon, isOpen: true, nextOpen: at('2013-10-06T00:00:00Z'), nextClose: at('2013-10-06T00:00:00Z') });
  });
});
