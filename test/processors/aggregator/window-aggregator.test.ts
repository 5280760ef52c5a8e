import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import type { WindowMetrics } from '../../../src/model/metrics.ts';
import { WindowAggregator } from '../../../src/processors/aggregator/window-aggregator.ts';
import { trade } from '../trade-factory.ts';

function feed(aggregator: WindowAggregator, trades: ReadonlyArray<Parameters<typeof trade>[0]>): Array<WindowMetrics | null> {
  return trades.map((fields) => aggregator.add(trade(fields)));
}

const close = (actual: number | null, expected: number): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${actual} ≈ ${expected}`);
};

describe('WindowAggregator', () => {
  it('computes the window by hand: VWAP with a zero-size trade, avg, extremes, change', () => {
    const aggregator = new WindowAggregator({ window: 3, publishEvery: 1 });
    const [, , third, fourth, fifth] = feed(aggregator, [
      { price: 100, size: 10, tsEvent: 1_000 },
      { price: 102, size: 0, tsEvent: 2_000 },
      { price: 101, size: 30, tsEvent: 3_000, tsRecv: 3_050 },
      { price: 99, size: 20, tsEvent: 4_000 },
      { price: 103, size: 0, tsEvent: 5_000 },
    ]);
    // (100·10 + 102·0 + 101·30) / 40
    assert.deepEqual({ ...third!, vwap: null, changePct: null }, {
      type: 'window-metrics', symbol: 'AAA', window: 3, count: 3, vwap: null, avg: 101, min: 100, max: 102,
      first: 100, last: 101, changePct: null, volume: 40, tsStart: 1_000, tsEvent: 3_000, tsRecv: 3_050,
    });
    close(third!.vwap, 100.75);
    close(third!.changePct, 1);
    // 100 left: (102·0 + 101·30 + 99·20) / 50
    close(fourth!.vwap, 100.2);
    close(fourth!.avg, 302 / 3);
    assert.equal(fourth!.min, 99);
    assert.equal(fourth!.max, 102);
    close(fourth!.changePct, (-3 / 102) * 100);
    // 102 (the max) left: the deque must now report 103.
    assert.equal(fifth!.max, 103);
    assert.equal(fifth!.min, 99);
    close(fifth!.vwap, 100.2);
    assert.equal(fifth!.volume, 50);
    assert.equal(fifth!.tsStart, 3_000);
  });

  it('publishes only every publishEvery trades of each symbol, counted per symbol', () => {
    const aggregator = new WindowAggregator({ window: 4, publishEvery: 3 });
    const published: string[] = [];
    const symbols = ['A', 'B', 'A', 'A', 'B', 'A', 'B', 'A', 'A'];
    symbols.forEach((symbol, index) => {
      const metrics = aggregator.add(trade({ symbol, price: 10 + index }));
      if (metrics) published.push(`${index}:${metrics.symbol}:${metrics.count}`);
    });
    // A's 3rd trade (index 3) and 6th (index 8); B's 3rd (index 6).
    assert.deepEqual(published, ['3:A:3', '6:B:3', '8:A:4']);
    assert.equal(aggregator.stats().published, 3);
  });

  it('reports VWAP null and volume exactly 0 when the window holds only zero-size (forex) trades', () => {
    const aggregator = new WindowAggregator({ window: 2, publishEvery: 1 });
    const [first, second, third] = feed(aggregator, [
      { symbol: 'OANDA:EUR_USD', price: 1.1, size: 0.1 },
      { symbol: 'OANDA:EUR_USD', price: 1.2, size: 0 },
      { symbol: 'OANDA:EUR_USD', price: 1.3, size: 0 },
    ]);
    close(first!.vwap, 1.1);
    assert.equal(second!.volume, 0.1);
    close(second!.vwap, 1.1);
    assert.equal(third!.vwap, null);
    assert.equal(third!.volume, 0, 'no float residue of 0.1 − 0.1');
    close(third!.avg, 1.25);
  });

  it('keeps VWAP exact after a huge trade leaves the window (running sums are rebased)', () => {
    const aggregator = new WindowAggregator({ window: 5, publishEvery: 1 });
    aggregator.add(trade({ price: 98_765.4321, size: 1e12 }));
    let metrics: WindowMetrics | null = null;
    const small = [1.000_07, 1.000_03, 1.000_11, 0.999_97, 1.000_05];
    for (const price of small) metrics = aggregator.add(trade({ price, size: 0.003 }));
    const expected = small.reduce((sum, price) => sum + price * 0.003, 0) / (0.003 * small.length);
    assert.ok(Math.abs(metrics!.vwap! - expected) / expected < 1e-12, `${metrics!.vwap} vs ${expected}`);
    assert.ok(Math.abs(metrics!.volume - 0.015) < 1e-15);
  });

  it('stays exact over a long run of trades', () => {
    const aggregator = new WindowAggregator({ window: 20, publishEvery: 1 });
    const prices: number[] = [];
    const sizes: number[] = [];
    let metrics: WindowMetrics | null = null;
    let state = 12_345;
    const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let index = 0; index < 200_000; index++) {
      const price = 100 + random() * 50;
      const size = random() < 0.2 ? 0 : Math.round(random() * 1_000) / 7;
      prices.push(price);
      sizes.push(size);
      metrics = aggregator.add(trade({ price, size }));
    }
    const tailPrices = prices.slice(-20);
    const tailSizes = sizes.slice(-20);
    const volume = tailSizes.reduce((sum, size) => sum + size, 0);
    const vwap = tailPrices.reduce((sum, price, index) => sum + price * tailSizes[index]!, 0) / volume;
    assert.ok(Math.abs(metrics!.vwap! - vwap) / vwap < 1e-12);
    assert.ok(Math.abs(metrics!.avg - tailPrices.reduce((sum, price) => sum + price, 0) / 20) < 1e-9);
  });

  it('uses the earliest and latest event time in the window when trades arrive out of order', () => {
    const aggregator = new WindowAggregator({ window: 3, publishEvery: 3 });
    const [, , metrics] = feed(aggregator, [
      { price: 1, tsEvent: 5_000 },
      { price: 2, tsEvent: 4_000 },
      { price: 3, tsEvent: 4_500 },
    ]);
    assert.equal(metrics!.tsStart, 4_000);
    assert.equal(metrics!.tsEvent, 5_000);
    assert.equal(metrics!.first, 1, 'first and last follow arrival order');
    assert.equal(metrics!.last, 3);
  });

  it('empties a window and restarts its count on a gap of that symbol only', () => {
    const aggregator = new WindowAggregator({ window: 5, publishEvery: 2 });
    feed(aggregator, [{ price: 10 }, { symbol: 'B', price: 50 }, { price: 11 }, { price: 12 }]);
    aggregator.gap({ type: 'gap', source: 'test', symbol: 'AAA', reason: 'disconnect', tsEvent: 0, tsRecv: 0 });
    assert.equal(aggregator.add(trade({ price: 20 })), null, 'the count restarted');
    const after = aggregator.add(trade({ price: 22 }));
    assert.equal(after!.count, 2);
    assert.equal(after!.first, 20);
    assert.equal(after!.min, 20);
    assert.equal(aggregator.add(trade({ symbol: 'B', price: 51 }))!.count, 2, 'B was not touched');
    assert.equal(aggregator.stats().resets, 1);
  });

  it('refuses unusable trades without publishing, and gives a snapshot on demand', () => {
    const aggregator = new WindowAggregator({ window: 5, publishEvery: 1 });
    assert.equal(aggregator.add(trade({ price: Number.NaN })), null);
    assert.equal(aggregator.add(trade({ price: 0 })), null);
    assert.equal(aggregator.add(trade({ price: 1, size: -1 })), null);
    assert.equal(aggregator.stats().rejected, 3);
    assert.equal(aggregator.snapshot('AAA'), null);
    aggregator.add(trade({ price: 4 }));
    assert.equal(aggregator.snapshot('AAA')!.last, 4);
  });

  it('validates its options', () => {
    assert.deepEqual([new WindowAggregator().window, new WindowAggregator().publishEvery], [20, 10]);
    assert.throws(() => new WindowAggregator({ window: 0 }), ConfigError);
    assert.throws(() => new WindowAggregator({ publishEvery: 1.5 }), ConfigError);
    assert.throws(() => new WindowAggregator({ windowSize: 5 } as never), ConfigError);
  });
});
