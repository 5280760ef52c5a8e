import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthlyReturns } from '../../../src/backtest/report/monthly-returns.ts';

describe('monthlyReturns', () => {
  it('each month against the previous month\'s last day (the starting cash first); a year compounds its months', () => {
    const daily = [
      { date: '2025-12-30', equity: '1100', benchmark: null },
      { date: '2025-12-31', equity: '1050', benchmark: null },
      { date: '2026-01-02', equity: '1000', benchmark: null },
      { date: '2026-03-31', equity: '1100', benchmark: null },
    ];
    // Dec: 1050 / 1000 − 1 = 5 %; Jan: 1000 / 1050 − 1; Mar: 1100 / 1000 − 1 = 10 %; 2026: (1000 / 1050) × 1.1 − 1.
    const [y2025, y2026] = monthlyReturns(1000, daily);
    assert.equal(y2025!.year, 2025);
    assert.ok(Math.abs(y2025!.months[11]! - 0.05) < 1e-12);
    assert.deepEqual(y2025!.months.slice(0, 11), Array(11).fill(null));
    assert.ok(Math.abs(y2026!.months[0]! - (1000 / 1050 - 1)) < 1e-12);
    assert.equal(y2026!.months[1], null);
    assert.ok(Math.abs(y2026!.months[2]! - 0.1) < 1e-12);
    assert.ok(Math.abs(y2026!.total - ((1000 / 1050) * 1.1 - 1)) < 1e-12);
  });
});
