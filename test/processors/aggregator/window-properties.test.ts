import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { WindowMetrics } from '../../../src/model/metrics.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { WindowAggregator } from '../../../src/processors/aggregator/window-aggregator.ts';

const SYMBOLS = ['A', 'B', 'C'] as const;

/** Prices over many orders of magnitude; sizes often 0 (forex), sometimes fractional or huge. */
const tradeArbitrary = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  price: fc.oneof(fc.double({ min: 1e-4, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 500 })),
  size: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 1e-8, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 1_000 })),
  tsEvent: fc.integer({ min: 0, max: 1e6 }),
});

const scenario = fc.record({
  window: fc.integer({ min: 1, max: 30 }),
  publishEvery: fc.integer({ min: 1, max: 15 }),
  trades: fc.array(tradeArbitrary, { maxLength: 300, size: 'max' }),
});

function toTrades(raw: ReadonlyArray<{ symbol: string; price: number; size: number; tsEvent: number }>): Trade[] {
  return raw.map((fields, seq) => ({ type: 'trade', source: 'prop', conditions: null, tsRecv: seq, seq, ...fields }));
}

/** The metrics recomputed from scratch over the last `window` trades of the symbol. */
function naive(history: readonly Trade[], window: number) {
  const last = history.slice(-window);
  const volume = last.reduce((sum, t) => sum + t.size, 0);
  const notional = last.reduce((sum, t) => sum + t.price * t.size, 0);
  const prices = last.map((t) => t.price);
  return {
    count: last.length,
    vwap: last.some((t) => t.size > 0) ? notional / volume : null,
    avg: prices.reduce((sum, price) => sum + price, 0) / last.length,
    min: Math.min(...prices),
    max: Math.max(...prices),
    first: prices[0]!,
    last: prices.at(-1)!,
    volume,
    tsStart: Math.min(...last.map((t) => t.tsEvent)),
    tsEvent: Math.max(...last.map((t) => t.tsEvent)),
  };
}

const near = (actual: number, expected: number): boolean => Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1e-300);

describe('WindowAggregator properties', () => {
  it('VWAP and average lie within [min, max]', () => {
    fc.assert(
      fc.property(scenario, ({ window, publishEvery, trades }) => {
        const aggregator = new WindowAggregator({ window, publishEvery });
        for (const t of toTrades(trades)) {
          const metrics = aggregator.add(t);
          if (!metrics) continue;
          if (metrics.vwap !== null) assert.ok(metrics.min <= metrics.vwap && metrics.vwap <= metrics.max);
          assert.ok(metrics.min <= metrics.avg && metrics.avg <= metrics.max);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('match a naive recomputation over the last N trades of the symbol, zero-size trades included', () => {
    fc.assert(
      fc.property(scenario, ({ window, trades }) => {
        const aggregator = new WindowAggregator({ window, publishEvery: 1 });
        const history = new Map<string, Trade[]>();
        for (const t of toTrades(trades)) {
          const metrics = aggregator.add(t) as WindowMetrics;
          const own = history.get(t.symbol) ?? [];
          own.push(t);
          history.set(t.symbol, own);
          const expected = naive(own, window);
          assert.equal(metrics.count, expected.count);
          assert.equal(metrics.min, expected.min);
          assert.equal(metrics.max, expected.max);
          assert.equal(metrics.first, expected.first);
          assert.equal(metrics.last, expected.last);
          assert.equal(metrics.tsStart, expected.tsStart);
          assert.equal(metrics.tsEvent, expected.tsEvent);
          assert.ok(near(metrics.avg, expected.avg), `avg ${metrics.avg} vs ${expected.avg}`);
          assert.ok(near(metrics.volume, expected.volume), `volume ${metrics.volume} vs ${expected.volume}`);
          if (expected.vwap === null) assert.equal(metrics.vwap, null);
          else assert.ok(metrics.vwap !== null && near(metrics.vwap, expected.vwap), `vwap ${metrics.vwap} vs ${expected.vwap}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('publish after every publishEvery-th trade of each symbol and at no other time', () => {
    fc.assert(
      fc.property(scenario, ({ window, publishEvery, trades }) => {
        const aggregator = new WindowAggregator({ window, publishEvery });
        const seen = new Map<string, number>();
        for (const t of toTrades(trades)) {
          const count = (seen.get(t.symbol) ?? 0) + 1;
          seen.set(t.symbol, count);
          const metrics = aggregator.add(t);
          assert.equal(metrics !== null, count % publishEvery === 0);
          if (metrics) assert.equal(metrics.symbol, t.symbol);
        }
      }),
      { numRuns: 300 },
    );
  });
});
