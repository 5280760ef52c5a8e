import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bar } from '../../../src/model/bar.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';

/** Trades out of order by up to 3 s, interleaved with clock ticks that may run ahead of them. */
const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('trade' as const), symbol: fc.constantFrom('A', 'B'), jitter: fc.integer({ min: -3_000, max: 0 }), price: fc.integer({ min: 1, max: 50 }), size: fc.integer({ min: 0, max: 9 }) }) },
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
        const builder = new BarBuilder({ intervals: ['1s', '1m'], lateness });
        const bars: Bar[] = [];
        let now = 0;
        let trades = 0;
        for (const [index, action] of steps.entries()) {
          now = 1_700_000_000_000 + index * gapMs;
          if (action.kind === 'clock') {
            bars.push(...builder.advanceTo(now + action.ahead, now));
            continue;
          }
          const t: Trade = { type: 'trade', source: 'prop', symbol: action.symbol, price: action.price, size: action.size, conditions: null, tsEvent: now + action.jitter, tsRecv: now, seq: index };
          trades++;
          bars.push(...builder.add(t, now));
        }
        bars.push(...builder.flush(now));
        const keys = bars.map((bar) => `${bar.symbol}/${bar.interval}/${bar.start}`);
        assert.equal(new Set(keys).size, keys.length, 'a bar is never published twice');
        const stats = builder.stats();
        for (const interval of ['1s', '1m'] as const) {
          const counted = bars.filter((bar) => bar.interval === interval).reduce((sum, bar) => sum + bar.count, 0);
          assert.equal(counted + stats.lateByInterval[interval]!, trades, `${interval}: every trade is in a bar or late`);
        }
        for (const bar of bars) {
          assert.equal(bar.start % (bar.interval === '1s' ? 1_000 : 60_000), 0);
          assert.ok(bar.low <= Math.min(bar.open, bar.close) && Math.max(bar.open, bar.close) <= bar.high);
          if (bar.vwap !== null) assert.ok(bar.low <= bar.vwap && bar.vwap <= bar.high);
          else assert.equal(bar.volume, 0);
        }
        assert.equal(stats.openBars, 0);
      }),
      { numRuns: 200 },
    );
  });
});
