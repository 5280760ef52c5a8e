import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxDrawdown } from '../../../src/backtest/report/drawdown.ts';

const DAY_MS = 86_400_000;
const daily = (values: readonly number[]) => values.map((value, day) => ({ time: day * DAY_MS, value }));

describe('maxDrawdown', () => {
  it('deepest fall and the longest time under water, recovered or not', () => {
    // Peak 120 (day 1) → 90: −25 %, back at 120 on day 3 (2 days); peak 130 (day 4) → 117: −10 %, to the end (1 day).
    assert.deepEqual(maxDrawdown(daily([100, 120, 90, 120, 130, 117])), { depth: -0.25, longestDays: 2 });
    // Never back: from the peak (day 1) to the last sample (day 4).
    assert.deepEqual(maxDrawdown(daily([100, 120, 110, 119, 100])), { depth: 100 / 120 - 1, longestDays: 3 });
  });

  it('time spent at a peak is not under water', () => {
    assert.deepEqual(maxDrawdown(daily([100, 100, 100, 101])), { depth: 0, longestDays: 0 });
    assert.equal(maxDrawdown([]), null);
  });
});
