import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { civilDateOf } from '../../../src/trading/calendar/civil-date.ts';
import { easterSunday } from '../../../src/trading/calendar/easter.ts';

describe('easterSunday', () => {
  it('gives the Gregorian Easter dates, the earliest (March 22) and latest (April 25) possible included', () => {
    const known = ['1818-03-22', '1943-04-25', '1998-04-12', '2000-04-23', '2008-03-23', '2011-04-24', '2013-03-31', '2019-04-21', '2024-03-31', '2038-04-25', '2285-03-22'];
    assert.deepEqual(known.map((date) => civilDateOf(easterSunday(Number(date.slice(0, 4))))), known);
  });
});
