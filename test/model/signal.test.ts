import { describe, it } from 'node:test';
import { validateTradingSignal, type TradingSignal } from '../../src/model/signal.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const input = { topic: 'aggregated-metrics', partition: 0, offset: 3, recordType: 'bar', tsEvent: 1 };
const signal: TradingSignal = { type: 'signal', symbol: 'AAPL', strategy: 'rsi', side: 'buy', strength: 0.4, price: 10, tsEvent: 1, tsRecv: 2, reason: 'RSI(14) climbed back above 30', lineage: [input] };

describe('validateTradingSignal', () => {
  it('accepts signals of both sides, at the edges of their strength, with or without lineage', () => {
    assertAccepts(validateTradingSignal, [signal, { ...signal, side: 'sell', strength: 0 }, { ...signal, strength: 1, reason: '', lineage: [] }]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateTradingSignal, [
      [undefined, 'not an object'],
      [{ ...signal, type: 'alert' }, 'type must be "signal" (got "alert")'],
      [{ ...signal, symbol: '' }, 'symbol missing'],
      [{ ...signal, tsRecv: '2' }, 'tsEvent/tsRecv must be numbers'],
      [without(signal, 'strategy'), 'strategy missing'],
      [{ ...signal, side: 'hold' }, 'side must be "buy" or "sell"'],
      [{ ...signal, strength: 1.5 }, 'strength must be a number in [0, 1]'],
      [{ ...signal, strength: -0.1 }, 'strength must be a number in [0, 1]'],
      [{ ...signal, price: 0 }, 'price must be a positive number'],
      [{ ...signal, reason: null }, 'reason must be a string'],
      [{ ...signal, lineage: null }, 'lineage must be an array'],
      [{ ...signal, lineage: [input, 'x'] }, 'lineage[1]: not an object'],
      [{ ...signal, lineage: [{ ...input, topic: '' }] }, 'lineage[0]: topic missing'],
      [{ ...signal, lineage: [{ ...input, partition: -1 }] }, 'lineage[0]: partition must be an integer ≥ 0'],
      [{ ...signal, lineage: [{ ...input, offset: 0.5 }] }, 'lineage[0]: offset must be an integer ≥ 0'],
      [{ ...signal, lineage: [without(input, 'recordType')] }, 'lineage[0]: recordType missing'],
      [{ ...signal, lineage: [{ ...input, tsEvent: Number.NaN }] }, 'lineage[0]: tsEvent must be a number'],
    ]);
  });
});
