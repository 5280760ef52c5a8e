import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nyTime, weekdaySessions } from './support.ts';

describe('the weekday-sessions test double', () => {
  const calendar = weekdaySessions();
  it('tells the phase of a New York trading day', () => {
    const phases = ['03:59', '04:00', '09:29', '09:30', '15:59', '16:00', '19:59', '20:00', '23:30'].map((time) => calendar.phase('us', nyTime(time)));
    assert.deepEqual(phases, ['closed', 'pre', 'pre', 'regular', 'regular', 'post', 'post', 'closed', 'closed']);
    assert.equal(calendar.phase('us', nyTime('10:00', '2013-10-05')), 'closed');
  });

  it('finds the next open and close, skipping the weekend', () => {
    assert.equal(calendar.nextOpen('us', nyTime('08:00')), nyTime('09:30'));
    assert.equal(calendar.nextOpen('us', nyTime('10:00')), nyTime('09:30', '2013-10-08'));
    assert.equal(calendar.nextClose('us', nyTime('23:00'), false), nyTime('16:00', '2013-10-08'));
    assert.equal(calendar.nextClose('us', nyTime('16:00'), true), nyTime('20:00'));
    assert.equal(calendar.nextOpen('us', nyTime('17:00', '2013-10-04')), nyTime('09:30', '2013-10-07'));
  });
});
