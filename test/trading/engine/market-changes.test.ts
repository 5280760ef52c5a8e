import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../../src/sources/simulator/random.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { ALWAYS_OPEN, newEngine, print } from '../support.ts';

const T0 = Date.parse('2026-01-05T15:00:00Z');
const SYMBOLS = ['AAPL', 'SPY', 'BINANCE:BTCUSDT'] as const;

/** What a store keeps of `takeMarketChange`s: the last market, and each change's `added` until wholly before its `keepFrom`. */
class StoredMarket {
  market: unknown = null;
  rows: { symbol: string; last: number; entries: [number, string, string][] }[] = [];

  save(engine: TradingEngine): number {
    const { market, volume } = engine.takeMarketChange();
    this.market = market;
    for (const { symbol, keepFrom, added } of volume) {
      this.rows = this.rows.filter((row) => row.symbol !== symbol || row.last >= keepFrom);
      this.rows.push({ symbol, last: Math.max(...added.map(([start]) => start)), entries: added });
    }
    return JSON.stringify(market).length;
  }

  copy(): StoredMarket {
    const copy = new StoredMarket();
    copy.market = this.market;
    copy.rows = [...this.rows];
    return copy;
  }

  restore(): TradingEngine {
    const engine = newEngine({ calendar: ALWAYS_OPEN });
    engine.restoreMarket(this.market, this.rows.map(({ symbol, entries }) => ({ symbol, entries })));
    return engine;
  }
}

/** Prints on a tick grid, times going forward with some late ones, gaps longer than the lookback now and then. */
function* tape(random: SeededRandom, count: number): Generator<ReturnType<typeof print>> {
  let now = T0;
  const prices = new Map<string, number>(SYMBOLS.map((symbol) => [symbol, 100]));
  for (let i = 0; i < count; i++) {
    now += random.next() < 0.002 ? 90_000 : random.int(0, 40);
    const symbol = random.pick(SYMBOLS);
    const price = Math.max(1, prices.get(symbol)! + random.int(-2, 2) / 100);
    prices.set(symbol, price);
    const late = random.next() < 0.05 ? random.int(1_000, 70_000) : 0;
    yield print(symbol, Number(price.toFixed(2)), random.int(0, 300), now - late);
  }
}

describe('the market saved as a small snapshot and appended volume', () => {
  it('restores the same tape as the full snapshot at every save, and the restored engine goes on the same way', () => {
    for (const seed of [1, 2, 3]) {
      const random = new SeededRandom(seed);
      const engine = newEngine({ calendar: ALWAYS_OPEN });
      const stored = new StoredMarket();
      let restored: TradingEngine | null = null;
      let storedOfRestored: StoredMarket | null = null;
      let saves = 0;
      for (const trade of tape(random, 20_000)) {
        engine.trade(trade);
        restored?.trade(trade);
        if (random.next() < 0.02) {
          stored.save(engine);
          saves++;
          assert.deepEqual(stored.restore().snapshotMarket(), engine.snapshotMarket(), `seed ${seed}, save ${saves}`);
          if (restored === null && saves === 50) {
            restored = stored.restore();
            storedOfRestored = stored.copy();
          }
        }
      }
      assert.ok(restored, 'restored mid-run');
      assert.deepEqual(restored.snapshotMarket(), engine.snapshotMarket(), `seed ${seed}: the restored engine went on like the original`);
      storedOfRestored!.save(restored);
      assert.deepEqual(storedOfRestored!.restore().snapshotMarket(), engine.snapshotMarket(), `seed ${seed}: saving from the restored engine`);
    }
  });

  it('keeps the market snapshot itself to marks and time, and a save to what is new since the last', () => {
    const engine = newEngine({ calendar: ALWAYS_OPEN });
    const stored = new StoredMarket();
    for (let i = 0; i < 50_000; i++) engine.trade(print('AAPL', 100 + (i % 500) / 100, 10, T0 + i));
    stored.save(engine);
    const { market, volume } = engine.takeMarketChange();
    assert.deepEqual(volume, [], 'nothing new since the save');
    assert.ok(JSON.stringify(market).length < 300, JSON.stringify(market));
    engine.trade(print('AAPL', 100, 10, T0 + 50_000));
    assert.deepEqual(engine.takeMarketChange().volume, [{ symbol: 'AAPL', keepFrom: T0, added: [[T0 + 50_000, '100', '10']] }]);
  });

  it('restores a market saved with its volume inside (before it was saved apart), and saves that volume apart next', () => {
    const engine = newEngine({ calendar: ALWAYS_OPEN });
    engine.trade(print('SPY', 400, 100, T0));
    const full = JSON.parse(JSON.stringify(engine.snapshotMarket()));
    const upgraded = newEngine({ calendar: ALWAYS_OPEN });
    upgraded.restoreMarket(full);
    assert.deepEqual(upgraded.snapshotMarket(), engine.snapshotMarket());
    assert.deepEqual(upgraded.takeMarketChange().volume, [{ symbol: 'SPY', keepFrom: T0, added: [[T0, '400', '100']] }]);
  });
});
