import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assetClassOf, DEFAULT_SIMULATOR_SYMBOLS, SimulatedMarket } from '../../../src/sources/simulator/market.ts';
import { SeededRandom } from '../../../src/sources/simulator/random.ts';

const NOW = 1_700_000_000_000;

describe('SimulatedMarket', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    const run = (seed: number) => {
      const market = new SimulatedMarket({ seed });
      return [market.trades(DEFAULT_SIMULATOR_SYMBOLS, 200, NOW, 100), market.quote('AAPL', NOW)];
    };
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2));
  });

  it('starts each symbol at a price sensible for its class, independent of the order symbols are used in', () => {
    const a = new SimulatedMarket({ seed: 3, symbols: ['AAPL', 'OANDA:EUR_USD', 'OANDA:USD_JPY', 'BINANCE:BTCUSDT', 'BINANCE:ETHUSDT'] });
    const b = new SimulatedMarket({ seed: 3, symbols: ['BINANCE:BTCUSDT', 'AAPL'] });
    assert.deepEqual(a.quote('AAPL', NOW), b.quote('AAPL', NOW));
    const open = (symbol: string) => a.quote(symbol, NOW).o;
    assert.ok(open('AAPL') >= 100 && open('AAPL') <= 500);
    assert.ok(open('OANDA:EUR_USD') >= 1 && open('OANDA:EUR_USD') <= 1.3);
    assert.ok(open('OANDA:USD_JPY') >= 100 && open('OANDA:USD_JPY') <= 160);
    assert.ok(open('BINANCE:BTCUSDT') >= 40_000 && open('BINANCE:BTCUSDT') <= 70_000);
    assert.ok(open('BINANCE:ETHUSDT') >= 2_000 && open('BINANCE:ETHUSDT') <= 4_000);
  });

  it('walks geometrically: prices stay positive and move by small steps', () => {
    const market = new SimulatedMarket({ seed: 9, duplicateRate: 0 });
    const trades = market.trades(['AAPL'], 5_000, NOW, 0);
    assert.ok(trades.every((trade) => trade.p > 0));
    for (let i = 1; i < trades.length; i++) {
      const step = Math.abs(Math.log((trades[i]?.p as number) / (trades[i - 1]?.p as number)));
      assert.ok(step < 0.01, `step ${step}`);
    }
    const quote = market.quote('AAPL', NOW);
    assert.equal(quote.c, trades.at(-1)?.p);
    assert.equal(quote.h, Math.max(...trades.map((trade) => trade.p), quote.o));
    assert.equal(quote.l, Math.min(...trades.map((trade) => trade.p), quote.o));
  });

  it('produces no trades for unknown symbols', () => {
    const market = new SimulatedMarket({ seed: 1 });
    assert.deepEqual(market.trades(['NOPE'], 10, NOW), []);
    assert.equal(market.has('NOPE'), false);
  });

  it('classifies symbols by venue prefix', () => {
    assert.equal(assetClassOf('AAPL'), 'stock');
    assert.equal(assetClassOf('OANDA:EUR_USD'), 'forex');
    assert.equal(assetClassOf('BINANCE:BTCUSDT'), 'crypto');
  });
});

describe('SeededRandom', () => {
  it('gives uniform numbers in [0, 1) with a sane mean, and normals with mean ≈ 0 and sd ≈ 1', () => {
    const random = new SeededRandom(123);
    const uniforms = Array.from({ length: 20_000 }, () => random.next());
    assert.ok(uniforms.every((u) => u >= 0 && u < 1));
    assert.ok(Math.abs(uniforms.reduce((a, b) => a + b) / uniforms.length - 0.5) < 0.01);
    const normals = Array.from({ length: 20_000 }, () => random.normal());
    const mean = normals.reduce((a, b) => a + b) / normals.length;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length);
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(sd - 1) < 0.03, `mean ${mean} sd ${sd}`);
  });
});
