import assert from 'node:assert/strict';
import { it } from 'node:test';
import { utcTime, wallClock, zonedTime } from '../../../src/api/routes/alpaca/times.ts';

it('writes New York times with the offset of the day, across daylight saving time', () => {
  assert.equal(zonedTime('America/New_York', Date.parse('2024-01-02T14:30:00Z')), '2024-01-02T09:30:00.000-05:00');
  assert.equal(zonedTime('America/New_York', Date.parse('2024-07-01T13:30:00.123Z')), '2024-07-01T09:30:00.123-04:00');
  // 2024-03-10 02:00 EST became 03:00 EDT.
  assert.equal(zonedTime('America/New_York', Date.parse('2024-03-10T06:59:59Z')), '2024-03-10T01:59:59.000-05:00');
  assert.equal(zonedTime('America/New_York', Date.parse('2024-03-10T07:00:00Z')), '2024-03-10T03:00:00.000-04:00');
  assert.equal(zonedTime('UTC', 0), '1970-01-01T00:00:00.000Z');
  assert.equal(zonedTime('Asia/Kolkata', 0), '1970-01-01T05:30:00.000+05:30');
});

it('writes wall clocks as HH:MM or HHMM, and UTC times with milliseconds', () => {
  assert.equal(wallClock('America/New_York', Date.parse('2024-11-29T18:00:00Z')), '13:00');
  assert.equal(wallClock('America/New_York', Date.parse('2024-11-29T09:00:00Z'), false), '0400');
  assert.equal(utcTime(Date.parse('2024-01-02T14:30:00Z')), '2024-01-02T14:30:00.000Z');
});
