import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Plain browser modules (web/js/, no types): imported by URL, so they are exactly what the page runs.
const { CandleBook } = await import(new URL('../../web/js/candles.js', import.meta.url).href);
const { backoffDelay } = await import(new URL('../../web/js/backoff.js', import.meta.url).href);
const { throughput } = await import(new URL('../../web/js/status.js', import.meta.url).href);

const T0 = 1_796_155_860_000;
const trade = (tsEvent: number, price: number, size = 10) => ({ type: 'trade', symbol: 'AAPL', price, size, tsEvent, tsRecv: tsEvent + 5 });
const bar = (start: number, close: number) => ({ type: 'bar', symbol: 'AAPL', interval: '1s', start, end: start + 1000, open: 1, high: close + 1, low: 0.5, close, volume: 100, vwap: 1.5, count: 4 });

describe('CandleBook (the forming candle between closed bars)', () => {
  it('builds the forming candle from trades: open first, high/low, close last, VWAP by size', () => {
    const book = new CandleBook('1s');
    assert.equal(book.applyTrade(trade(T0 + 100, 10, 1)), T0);
    book.applyTrade(trade(T0 + 300, 12, 3));
    book.applyTrade(trade(T0 + 900, 9, 0));
    const [candle] = book.candles();
    assert.deepEqual({ open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, closed: candle.closed }, { open: 10, high: 12, low: 9, close: 9, volume: 4, closed: false });
    assert.equal(candle.vwap, (10 * 1 + 12 * 3) / 4);
  });

  it('lets the closed bar replace the trades, and ignores trades for a closed bucket', () => {
    const book = new CandleBook('1s');
    book.applyTrade(trade(T0 + 100, 10));
    assert.equal(book.applyBar(bar(T0, 11)), T0);
    assert.equal(book.applyTrade(trade(T0 + 999, 50)), null, 'a late trade does not undo the closed bar');
    assert.equal(book.get(T0).close, 11);
    assert.equal(book.get(T0).closed, true);
  });

  it('keeps candles in time order whatever order they arrive in, and only its interval', () => {
    const book = new CandleBook('1s');
    book.applyBar(bar(T0 + 2000, 3));
    book.applyBar(bar(T0, 1));
    book.applyTrade(trade(T0 + 3500, 4));
    book.applyBar(bar(T0 + 1000, 2));
    assert.equal(book.applyBar({ ...bar(T0 + 4000, 9), interval: '1m' }), null);
    assert.deepEqual(book.candles().map((candle: { start: number }) => candle.start - T0), [0, 1000, 2000, 3000]);
    assert.equal(book.last().close, 4);
  });

  it('drops a straggler trade older than every candle it holds, and keeps at most maxCandles', () => {
    const book = new CandleBook('1s', { maxCandles: 3 });
    for (let i = 0; i < 5; i += 1) book.applyBar(bar(T0 + i * 1000, i));
    assert.equal(book.size, 3);
    assert.equal(book.candles()[0].start, T0 + 2000);
    assert.equal(book.applyTrade(trade(T0 + 500, 1)), null);
  });

  it('buckets 1m candles by the minute', () => {
    const book = new CandleBook('1m');
    assert.equal(book.applyTrade(trade(T0 + 59_999, 1)), T0);
    assert.equal(book.applyTrade(trade(T0 + 60_000, 1)), T0 + 60_000);
  });
});

describe('dashboard helpers', () => {
  it('backs off exponentially with full jitter, capped at 15 s', () => {
    assert.equal(backoffDelay(0, () => 1), 500);
    assert.equal(backoffDelay(3, () => 1), 4000);
    assert.equal(backoffDelay(30, () => 1), 15_000);
    assert.equal(backoffDelay(5, () => 0), 100, 'never a busy loop');
  });

  it('computes trades/s from two /status samples, and nothing across a restart', () => {
    assert.equal(throughput({ trades: 100, at: 1000 }, { trades: 300, at: 2000 }), 200);
    assert.equal(throughput(null, { trades: 300, at: 2000 }), null);
    assert.equal(throughput({ trades: 500, at: 1000 }, { trades: 10, at: 2000 }), null);
  });
});
