import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bar } from '../../../src/model/bar.ts';
import type { Trade } from '../../../src/model/trade.ts';
import type { EligibilityRule } from '../../../src/model/trade-eligibility.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';

/** Trades with condition `v` count as volume only. */
const volumeOnlyRule: EligibilityRule = (t) => (t.conditions?.[0] === 'v' ? 'volume' : 'full');

/** Trades out of order by up to 3 s, interleaved with clock ticks that may run ahead of them. */
const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const), symbol: fc.constantFrom('A', 'B'), jitter: fc.integer({ min: -3_000, max: 0 }),
      price: fc.integer({ min: 1, max: 50 }), size: fc.integer({ min: 0, max: 9 }), volumeOnly: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), ahead: fc.integer({ min: -1_000, max: 2_000 }) }) },
);

const scenario = fc.record({
  lateness: fc.constantFrom(0, 500, 2_000),
  steps: fc.array(step, { maxLength: 400, size: 'max' }),
  gapMs: fc.integer({ min: 1, max: 400 }),
});

describe('BarBuilder properties', () => {
  it('publishes each bar once, loses no trade (in a bar or counted late) and keeps prices consistent', () => {
    fc.assert(
      fc.property(scenario, ({ lateness, steps, gapMs }) => {
        const builder = new BarBuilder({ intervals: ['1s', '1m'], lateness, eligibility: volumeOnlyRule });
        const bars: Bar[] = [];
        let now = 0;
        let trades = 0;
        for (const [index, action] of steps.entries()) {
          now = 1_700_000_000_000 + index * gapMs;
          if (action.kind === 'clock') {
            bars.push(...builder.advanceTo(now + action.ahead, now));
            continue;
          }
          const conditions = action.volumeOnly ? ['v'] : null;
          const t: Trade = { type: 'trade', source: 'prop', symbol: action.symbol, price: action.price, size: action.size, conditions, tsEvent: now + action.jitter, tsRecv: now, seq: index };
          trades++;
          bars.push(...builder.add(t, now));
        }
        bars.push(...builder.flush(now));
        const keys = bars.map((bar) => `${bar.symbol}/${bar.interval}/${bar.start}`);
        assert.equal(new Set(keys).size, keys.length, 'a bar is never published twice');
        const stats = builder.stats();
        for (const interval of ['1s', '1m'] as const) {
          const counted = bars.filter((bar) => bar.interval === interval).reduce((sum, bar) => sum + bar.count, 0);
          const carried = carriedOf(builder, interval).count;
          assert.equal(counted + stats.lateByInterval[interval]! + carried, trades, `${interval}: every trade is in a bar, late, or carried to the next bar`);
        }
        for (const bar of bars) {
          assert.equal(bar.start % (bar.interval === '1s' ? 1_000 : 60_000), 0);
          assert.ok(bar.low <= Math.min(bar.open, bar.close) && Math.max(bar.open, bar.close) <= bar.high);
          // null when the price-setting trades had no size (the volume may then be volume-only prints').
          if (bar.vwap !== null) assert.ok(bar.low <= bar.vwap && bar.vwap <= bar.high);
        }
        assert.equal(stats.openBars, 0);
      }),
      { numRuns: 200 },
    );
  });

  it('loses no volume when nothing is late: 1 s and 1 m bars (and what waits for a next bar) hold every size', () => {
    const inOrder = fc.array(
      fc.record({ symbol: fc.constantFrom('A', 'B'), step: fc.integer({ min: 0, max: 1_500 }), size: fc.integer({ min: 0, max: 9 }), volumeOnly: fc.boolean(), clock: fc.boolean() }),
      { maxLength: 300, size: 'max' },
    );
    fc.assert(
      fc.property(inOrder, (steps) => {
        const builder = new BarBuilder({ intervals: ['1s', '1m'], eligibility: volumeOnlyRule });
        const bars: Bar[] = [];
        let time = 1_700_000_000_000;
        let total = 0;
        for (const [index, step] of steps.entries()) {
          time += step.step;
          const conditions = step.volumeOnly ? ['v'] : null;
          bars.push(...builder.add({ type: 'trade', source: 'prop', symbol: step.symbol, price: 10, size: step.size, conditions, tsEvent: time, tsRecv: time, seq: index }, time));
          total += step.size;
          // The clock at the newest trade, as a replay moves it: it may close the other symbol's bars.
          if (step.clock) bars.push(...builder.advanceTo(time, time));
        }
        bars.push(...builder.flush(time));
        assert.equal(builder.lateTrades, 0);
        for (const interval of ['1s', '1m'] as const) {
          const inBars = bars.filter((bar) => bar.interval === interval).reduce((sum, bar) => sum + bar.volume, 0);
          assert.equal(inBars + carriedOf(builder, interval).volume, total, interval);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** What waits, over both symbols, for a next bar of the interval. */
function carriedOf(builder: BarBuilder, interval: '1s' | '1m'): { volume: number; count: number } {
  const carried = ['A', 'B'].flatMap((symbol) => builder.symbolState(symbol)?.carried ?? []).filter((entry) => entry.interval === interval);
  return { volume: carried.reduce((sum, entry) => sum + entry.volume, 0), count: carried.reduce((sum, entry) => sum + entry.count, 0) };
}
