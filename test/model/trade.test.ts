import { describe, it } from 'node:test';
import { validateTrade, type Trade } from '../../src/model/trade.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const trade: Trade = { type: 'trade', source: 'finnhub', symbol: 'AAPL', price: 190.5, size: 100, conditions: ['1', '12'], tsEvent: 1_700_000_000_000, tsRecv: 1_700_000_000_004, seq: 7 };

describe('validateTrade', () => {
  it('accepts trades, forex price updates (size 0) and trades without conditions', () => {
    assertAccepts(validateTrade, [trade, { ...trade, size: 0, conditions: null }, { ...trade, size: 0.0005, conditions: [] }]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateTrade, [
      [null, 'not an object'],
      [[trade], 'not an object'],
      [{ ...trade, type: 'gap' }, 'type must be "trade" (got "gap")'],
      [{ ...trade, symbol: '' }, 'symbol missing'],
      [without(trade, 'source'), 'source missing'],
      [{ ...trade, tsEvent: null }, 'tsEvent/tsRecv must be numbers'],
      [{ ...trade, tsRecv: Number.NaN }, 'tsEvent/tsRecv must be numbers'],
      [{ ...trade, price: 0 }, 'price must be a positive number'],
      [{ ...trade, price: '190.5' }, 'price must be a positive number'],
      [{ ...trade, size: -1 }, 'size must be a number ≥ 0'],
      [{ ...trade, seq: Number.POSITIVE_INFINITY }, 'seq must be a number'],
      [without(trade, 'conditions'), 'conditions must be null or an array of strings'],
      [{ ...trade, conditions: [1] }, 'conditions must be null or an array of strings'],
    ]);
  });
});
