import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateQuote, type Quote } from '../../src/model/quote.ts';
import { validateQuoteBar, type QuoteBar } from '../../src/model/quote-bar.ts';
import { validateMarketRecord } from '../../src/model/market-record.ts';

const quote: Quote = { type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.38694, ask: 1.38705, bidSize: null, askSize: 1_000_000, tsEvent: 1, tsRecv: 2, seq: 3 };

const quoteBar: QuoteBar = {
  type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1m', start: 60_000, end: 120_000,
  bid: { open: 1.1, high: 1.3, low: 1.0, close: 1.2 }, ask: { open: 1.2, high: 1.4, low: 1.1, close: 1.3 },
  lastBidSize: null, lastAskSize: 5, count: 4, tsEvent: 120_000, tsRecv: 120_003,
};

describe('validateQuote', () => {
  it('accepts a quote, on its own and as a market record; locked and crossed quotes are data', () => {
    assert.equal(validateQuote(quote), quote);
    assert.equal(validateMarketRecord(quote), quote);
    const crossed = { ...quote, bid: 1.2, ask: 1.1 };
    assert.equal(validateMarketRecord(crossed), crossed);
  });

  it('says what is wrong', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'not an object'],
      [{ ...quote, type: 'trade' }, 'not a quote ("trade")'],
      [{ ...quote, symbol: '' }, 'symbol missing'],
      [{ ...quote, source: undefined }, 'source missing'],
      [{ ...quote, tsRecv: '2' }, 'tsEvent/tsRecv must be numbers'],
      [{ ...quote, bid: 0 }, 'bid must be a positive number'],
      [{ ...quote, ask: Number.POSITIVE_INFINITY }, 'ask must be a positive number'],
      [{ ...quote, bidSize: -1 }, 'bidSize must be null or a number ≥ 0'],
      [{ ...quote, askSize: undefined }, 'askSize must be null or a number ≥ 0'],
      [{ ...quote, seq: null }, 'seq must be a number'],
    ];
    for (const [value, reason] of cases) assert.equal(validateQuote(value), reason, JSON.stringify(value));
    assert.equal(validateMarketRecord({ ...quote, bid: -1 }), 'bid must be a positive number');
  });
});

describe('validateQuoteBar', () => {
  it('accepts a quote bar', () => {
    assert.equal(validateQuoteBar(quoteBar), quoteBar);
  });

  it('says what is wrong', () => {
    const cases: Array<[unknown, string]> = [
      ['bar', 'not an object'],
      [{ ...quoteBar, type: 'bar' }, 'not a quote bar ("bar")'],
      [{ ...quoteBar, symbol: 7 }, 'symbol missing'],
      [{ ...quoteBar, interval: '5m' }, 'unknown bar interval "5m"'],
      [{ ...quoteBar, end: 100_000 }, 'start must be a number and end = start + 60000'],
      [{ ...quoteBar, bid: null }, 'bid must be an object of open, high, low, close'],
      [{ ...quoteBar, ask: { ...quoteBar.ask, close: 0 } }, 'ask open/high/low/close must be positive numbers'],
      [{ ...quoteBar, bid: { ...quoteBar.bid, high: 1.15 } }, 'bid low/high do not bound open/close'],
      [{ ...quoteBar, lastAskSize: -5 }, 'lastBidSize/lastAskSize must be null or numbers ≥ 0'],
      [{ ...quoteBar, count: 0 }, 'count must be an integer ≥ 1'],
      [{ ...quoteBar, tsRecv: null }, 'tsEvent/tsRecv must be numbers'],
    ];
    for (const [value, reason] of cases) assert.equal(validateQuoteBar(value), reason, JSON.stringify(value));
  });
});
