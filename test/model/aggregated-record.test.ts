import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAggregatedRecord } from '../../src/model/aggregated-record.ts';
import { validateBar } from '../../src/model/bar.ts';
import { validateWindowMetrics } from '../../src/model/metrics.ts';
import { validateQuoteBar } from '../../src/model/quote-bar.ts';
import { bar, metrics } from '../processors/signals/support.ts';
import { assertAccepts, assertReasons } from './cases.ts';

describe('validateAggregatedRecord', () => {
  it('accepts the aggregator’s bars and window metrics (forex: no VWAP)', () => {
    assertAccepts(validateAggregatedRecord, [bar(0, 10), bar(1, 10, { interval: '1m', vwap: null, volume: 0 }), metrics(0, 1.1, null), metrics(1, 10, 9.9)]);
  });

  it('checks each by the rules of its type', () => {
    const badBar = { ...bar(0, 10), high: 9 };
    const badMetrics = { ...metrics(0, 10, 10), count: 1.5 };
    assert.equal(validateAggregatedRecord(badBar), validateBar(badBar));
    assert.equal(validateAggregatedRecord(badMetrics), validateWindowMetrics(badMetrics));
  });

  it('accepts the aggregator’s quote bars, checked by the model’s validator', () => {
    const quoteBar = { type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1m', start: 0, end: 60_000, bid: { open: 1, high: 1, low: 1, close: 1 }, ask: { open: 2, high: 2, low: 2, close: 2 }, lastBidSize: null, lastAskSize: null, count: 1, tsEvent: 60_000, tsRecv: 60_001 };
    assert.equal(validateAggregatedRecord(quoteBar), quoteBar);
    assert.equal(validateAggregatedRecord({ ...quoteBar, count: 0 }), validateQuoteBar({ ...quoteBar, count: 0 }));
    assert.notEqual(typeof validateQuoteBar({ ...quoteBar, count: 0 }), 'object');
  });

  it('refuses anything else', () => {
    assertReasons(validateAggregatedRecord, [
      [null, 'not an object'],
      [{ ...metrics(0, 10, 10), type: 'trade' }, 'unknown record type "trade" (expected bar or window-metrics or quote-bar)'],
    ]);
  });
});
