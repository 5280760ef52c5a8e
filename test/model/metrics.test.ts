import { describe, it } from 'node:test';
import { validateWindowMetrics, type WindowMetrics } from '../../src/model/metrics.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const T = 1_700_000_000_000;
const metrics: WindowMetrics = { type: 'window-metrics', symbol: 'AAPL', window: 20, count: 20, vwap: 10.2, avg: 10.1, min: 9, max: 12, first: 9.5, last: 11, changePct: 15.79, volume: 2_000, tsStart: T - 900, tsEvent: T, tsRecv: T + 4 };

describe('validateWindowMetrics', () => {
  it('accepts full and filling windows, forex windows without VWAP, at the edges of their rules', () => {
    assertAccepts(validateWindowMetrics, [
      metrics,
      { ...metrics, count: 1, min: 11, max: 11, first: 11, last: 11, avg: 11, vwap: 11, changePct: 0, tsStart: T },
      { ...metrics, vwap: null, volume: 0 },
      { ...metrics, first: 9, last: 12, avg: 9, vwap: 12, changePct: -3 },
    ]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateWindowMetrics, [
      [null, 'not an object'],
      [{ ...metrics, type: 'bar' }, 'type must be "window-metrics" (got "bar")'],
      [without(metrics, 'symbol'), 'symbol missing'],
      [{ ...metrics, tsEvent: undefined }, 'tsEvent/tsRecv must be numbers'],
      [{ ...metrics, tsStart: null }, 'tsStart must be a number ≤ tsEvent'],
      [{ ...metrics, tsStart: T + 1 }, 'tsStart must be a number ≤ tsEvent'],
      [{ ...metrics, window: 0 }, 'window must be an integer ≥ 1'],
      [{ ...metrics, window: 2.5 }, 'window must be an integer ≥ 1'],
      [{ ...metrics, count: 0 }, 'count must be an integer ≥ 1'],
      [{ ...metrics, count: 21 }, 'count must be at most window'],
      [{ ...metrics, min: 0 }, 'min must be a positive number'],
      [{ ...metrics, max: Number.POSITIVE_INFINITY }, 'max must be a positive number'],
      [{ ...metrics, first: -9.5 }, 'first must be a positive number'],
      [{ ...metrics, last: Number.NaN }, 'last must be a positive number'],
      [{ ...metrics, avg: '10' }, 'avg must be a positive number'],
      [{ ...metrics, vwap: 'x' }, 'vwap must be null or a positive number'],
      [{ ...metrics, min: 12.5 }, 'min must be at most max'],
      [{ ...metrics, first: 8.9 }, 'first must lie within [min, max]'],
      [{ ...metrics, last: 12.1 }, 'last must lie within [min, max]'],
      [{ ...metrics, avg: 8 }, 'avg must lie within [min, max]'],
      [{ ...metrics, vwap: 13 }, 'vwap must lie within [min, max]'],
      [{ ...metrics, changePct: null }, 'changePct must be a number'],
      [{ ...metrics, volume: -5 }, 'volume must be a number ≥ 0'],
    ]);
  });
});
