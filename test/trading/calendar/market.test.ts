import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marketOf } from '../../../src/trading/calendar/market.ts';

describe('marketOf', () => {
  it('names the market of a tickflow symbol', () => {
    const cases: [string, string | null][] = [
      ['AAPL', 'us-equity'],
      ['SPY', 'us-equity'],
      ['BRK.B', 'us-equity'],
      ['OANDA:EUR_USD', 'forex'],
      ['fxcm:EUR/USD', 'forex'],
      ['BINANCE:BTCUSDT', 'crypto'],
      ['COINBASE:BTC-USD', 'crypto'],
    ];
    assert.deepEqual(cases.map(([symbol]) => [symbol, marketOf(symbol)]), cases);
  });

  it('refuses to guess: an unknown venue, an index, a lower-case or empty symbol has no market', () => {
    for (const symbol of ['NYSE:IBM', 'CME:ES', 'OANDA:', '^GSPC', 'aapl', '', 'A B']) assert.equal(marketOf(symbol), null, symbol);
  });
});
