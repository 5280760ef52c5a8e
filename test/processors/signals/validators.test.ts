import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateTradingSignal, type TradingSignal } from '../../../src/model/signal.ts';
import { validateAggregatedRecord } from '../../../src/processors/signals/aggregated-record.ts';
import { bar, metrics } from './support.ts';

describe('validateAggregatedRecord', () => {
  it('accepts the aggregator’s bars and window metrics (forex: no VWAP)', () => {
    for (const value of [bar(0, 10), bar(1, 10, { interval: '1m', vwap: null, volume: 0 }), metrics(0, 1.1, null), metrics(1, 10, 9.9)]) assert.equal(validateAggregatedRecord(value), value);
  });

  it('accepts the aggregator’s quote bars, checked by the model’s validator', () => {
    const quoteBar = { type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1m', start: 0, end: 60_000, bid: { open: 1, high: 1, low: 1, close: 1 }, ask: { open: 2, high: 2, low: 2, close: 2 }, lastBidSize: null, lastAskSize: null, count: 1, tsEvent: 60_000, tsRecv: 60_001 };
    assert.equal(validateAggregatedRecord(quoteBar), quoteBar);
    assert.equal(validateAggregatedRecord({ ...quoteBar, count: 0 }), 'count must be an integer ≥ 1');
  });

  it('says what is wrong', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'not an object'],
      [{ ...bar(0, 10), symbol: '' }, 'symbol missing'],
      [{ ...bar(0, 10), interval: '5m' }, 'unknown bar interval "5m"'],
      [{ ...bar(0, 10), close: 0 }, 'bar open/high/low/close must be positive numbers'],
      [{ ...bar(0, 10), high: 9 }, 'bar low/high do not bound open/close'],
      [{ ...bar(0, 10), end: bar(0, 10).start }, 'bar start/end must be numbers with start < end'],
      [{ ...bar(0, 10), volume: -1 }, 'volume must be a number ≥ 0'],
      [{ ...metrics(0, 10, 10), vwap: 'x' }, 'vwap must be null or a positive number'],
      [{ ...metrics(0, 10, 10), last: Number.NaN }, 'last must be a positive number'],
      [{ ...metrics(0, 10, 10), count: 1.5 }, 'count must be an integer ≥ 0'],
      [{ ...metrics(0, 10, 10), type: 'trade' }, 'unknown record type "trade"'],
    ];
    for (const [value, reason] of cases) assert.equal(validateAggregatedRecord(value), reason, JSON.stringify(value));
  });
});

describe('validateTradingSignal', () => {
  const signal: TradingSignal = { type: 'signal', symbol: 'AAPL', strategy: 'rsi', side: 'buy', strength: 0.4, price: 10, tsEvent: 1, tsRecv: 2, reason: 'x', lineage: [{ topic: 't', partition: 0, offset: 3, recordType: 'bar', tsEvent: 1 }] };

  it('accepts a signal and says what is wrong with anything else', () => {
    assert.equal(validateTradingSignal(signal), signal);
    assert.equal(validateTradingSignal({ ...signal, side: 'hold' }), 'side must be "buy" or "sell"');
    assert.equal(validateTradingSignal({ ...signal, strength: 1.5 }), 'strength must be a number in [0, 1]');
    assert.equal(validateTradingSignal({ ...signal, type: 'alert' }), 'unknown record type "alert"');
    assert.equal(validateTradingSignal({ ...signal, lineage: [{ ...signal.lineage[0], offset: -1 }] }), 'lineage[0]: offset must be an integer ≥ 0');
    assert.equal(validateTradingSignal({ ...signal, lineage: null }), 'lineage must be an array');
  });
});
