import { describe, it } from 'node:test';
import { validateBar, type Bar } from '../../src/model/bar.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const START = 1_700_000_040_000;
const bar: Bar = { type: 'bar', symbol: 'AAPL', interval: '1s', start: START, end: START + 1_000, open: 10, high: 12, low: 9, close: 11, volume: 300, vwap: 10.5, count: 3, tsEvent: START + 1_000, tsRecv: START + 3_001 };
const minute: Bar = { ...bar, interval: '1m', end: START + 60_000, tsEvent: START + 60_000 };

describe('validateBar', () => {
  it('accepts second and minute bars, with or without VWAP, at the edges of their rules', () => {
    assertAccepts(validateBar, [
      bar,
      minute,
      { ...bar, vwap: null, volume: 0 },
      { ...bar, open: 9, close: 12, vwap: 9 },
      { ...bar, open: 12, close: 9, vwap: 12 },
      { ...bar, open: 5, high: 5, low: 5, close: 5, vwap: 5, count: 0 },
    ]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateBar, [
      [42, 'not an object'],
      [{ ...bar, type: 'window-metrics' }, 'type must be "bar" (got "window-metrics")'],
      [{ ...bar, symbol: '' }, 'symbol missing'],
      [without(bar, 'tsRecv'), 'tsEvent/tsRecv must be numbers'],
      [{ ...bar, interval: '5m' }, 'unknown bar interval "5m"'],
      [{ ...bar, interval: 'toString' }, 'unknown bar interval "toString"'],
      [{ ...bar, start: '0' }, 'start must be a number'],
      [{ ...bar, end: START + 60_000 }, 'end must be start + 1000 (a 1s bar)'],
      [{ ...minute, end: START + 1_000 }, 'end must be start + 60000 (a 1m bar)'],
      [{ ...bar, tsEvent: START }, 'tsEvent must equal end'],
      [{ ...bar, open: 0 }, 'open must be a positive number'],
      [{ ...bar, high: null }, 'high must be a positive number'],
      [{ ...bar, low: -9 }, 'low must be a positive number'],
      [{ ...bar, close: 'twelve' }, 'close must be a positive number'],
      [{ ...bar, high: 10.9 }, 'low and high must bound open and close'],
      [{ ...bar, low: 10.1 }, 'low and high must bound open and close'],
      [{ ...bar, volume: -1 }, 'volume must be a number ≥ 0'],
      [{ ...bar, vwap: 0 }, 'vwap must be null or a positive number'],
      [without(bar, 'vwap'), 'vwap must be null or a positive number'],
      [{ ...bar, vwap: 12.01 }, 'vwap must lie within [low, high]'],
      [{ ...bar, vwap: 8.99 }, 'vwap must lie within [low, high]'],
      [{ ...bar, count: 1.5 }, 'count must be an integer ≥ 0'],
      [{ ...bar, count: -1 }, 'count must be an integer ≥ 0'],
    ]);
  });
});
