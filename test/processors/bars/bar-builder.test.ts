import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import type { Bar } from '../../../src/model/bar.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { ManualClock } from '../../../src/clock.ts';
import { trade } from '../trade-factory.ts';

/** 2023-11-14T22:13:20.000Z: a whole minute, so offsets below read as seconds into the minute. */
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

const at = (ms: number, price: number, size = 1, symbol = 'AAA'): Trade => trade({ symbol, price, size, tsEvent: T0 + ms, tsRecv: T0 + ms });
const brief = (bars: readonly Bar[]): string[] => bars.map((bar) => `${bar.symbol} ${bar.interval} ${bar.start - T0}`);

describe('BarBuilder', () => {
  it('builds OHLC, volume, VWAP and count over [start, end) aligned to the interval', () => {
    const builder = new BarBuilder({ intervals: ['1s'] });
    for (const t of [at(1_100, 10, 2), at(1_200, 12, 1), at(1_300, 9, 3), at(1_999, 11, 4)]) assert.deepEqual(builder.add(t, 0), []);
    const [bar] = builder.advanceTo(T0 + 2_000, T0 + 2_005);
    assert.deepEqual(bar, {
      type: 'bar', symbol: 'AAA', interval: '1s', start: T0 + 1_000, end: T0 + 2_000,
      open: 10, high: 12, low: 9, close: 11, volume: 10, vwap: (20 + 12 + 27 + 44) / 10, count: 4,
      tsEvent: T0 + 2_000, tsRecv: T0 + 2_005,
    });
  });

  it('closes a bar on the clock with no further trade, for a quiet symbol too', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'] });
    builder.add(at(500, 10, 1, 'QUIET'), 0);
    // Another symbol trading on does not close QUIET's bars: only its own event time or the clock does.
    assert.deepEqual(builder.add(at(700, 20, 1, 'BUSY'), 0), []);
    assert.deepEqual(brief(builder.add(at(1_500, 21, 1, 'BUSY'), 0)), ['BUSY 1s 0']);
    assert.deepEqual(builder.advanceTo(T0 + 999), []);
    assert.deepEqual(brief(builder.advanceTo(T0 + 1_000)), ['QUIET 1s 0']);
    assert.deepEqual(brief(builder.advanceTo(T0 + 60_000)), ['BUSY 1s 1000', 'BUSY 1m 0', 'QUIET 1m 0']);
    assert.deepEqual(builder.flush(0), []);
  });

  it("closes a symbol's bars as its own event time passes their end", () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'] });
    builder.add(at(100, 10), 0);
    assert.deepEqual(builder.add(at(999, 11), 0), []);
    const closed = builder.add(at(61_000, 12), 7);
    assert.deepEqual(brief(closed), ['AAA 1s 0', 'AAA 1m 0']);
    assert.equal(closed[0]!.tsRecv, 7);
    assert.equal(closed[1]!.close, 11);
  });

  it('counts a trade for a closed bar as late and never reopens the bar', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'] });
    builder.add(at(100, 10), 0);
    const [first] = builder.advanceTo(T0 + 1_000);
    assert.equal(first!.close, 10);
    // Late for the 1 s bar, which is closed; still in time for the open 1 m bar.
    assert.deepEqual(builder.add(at(900, 99, 5), 0), []);
    assert.equal(builder.lateTrades, 1);
    assert.deepEqual(builder.stats().lateByInterval, { '1s': 1, '1m': 0 });
    const rest = builder.flush(0);
    assert.deepEqual(brief(rest), ['AAA 1m 0'], 'no second bar for [0, 1000)');
    assert.equal(rest[0]!.high, 99);
    assert.equal(rest[0]!.volume, 6);
    // After the flush everything before it is closed.
    builder.add(at(59_000, 1), 0);
    assert.equal(builder.lateTrades, 2);
    assert.deepEqual(builder.flush(0), []);
  });

  it('waits for out-of-order trades up to the lateness, on event time and on the clock', () => {
    const builder = new BarBuilder({ intervals: ['1s'], lateness: 2_000 });
    builder.add(at(1_100, 10), 0);
    assert.deepEqual(builder.add(at(2_200, 20), 0), [], 'event time 2.2 s − 2 s has not passed the 2 s end');
    builder.add(at(1_500, 15), 0);
    assert.equal(builder.lateTrades, 0);
    assert.deepEqual(builder.advanceTo(T0 + 3_999), []);
    const [bar] = builder.advanceTo(T0 + 4_000);
    assert.deepEqual([bar!.start - T0, bar!.open, bar!.close, bar!.count], [1_000, 10, 15, 2]);
    assert.deepEqual(brief(builder.add(at(5_000, 30), 0)), ['AAA 1s 2000'], 'its own event time 5 s − 2 s passed 3 s');
    builder.add(at(2_999, 1), 0);
    assert.equal(builder.lateTrades, 1);
  });

  it('produces no bar for an empty interval, and VWAP null for zero volume', () => {
    const builder = new BarBuilder({ intervals: ['1s'] });
    const bars = [...builder.add(at(100, 1.1, 0, 'OANDA:EUR_USD'), 0), ...builder.add(at(3_100, 1.2, 0, 'OANDA:EUR_USD'), 0), ...builder.flush(0)];
    assert.deepEqual(brief(bars), ['OANDA:EUR_USD 1s 0', 'OANDA:EUR_USD 1s 3000']);
    assert.deepEqual(bars.map((bar) => [bar.volume, bar.vwap]), [[0, null], [0, null]]);
  });

  it('applies an eligibility rule: volume-only trades never set prices, excluded ones count nowhere', () => {
    const builder = new BarBuilder({
      intervals: ['1s'],
      eligibility: (t) => (t.conditions?.[0] === 'avg' ? 'volume' : t.conditions?.[0] === 'close' ? 'none' : 'full'),
    });
    const bars = [
      trade({ price: 50, size: 100, tsEvent: T0 + 10, conditions: ['avg'] }),
      trade({ price: 10, size: 1, tsEvent: T0 + 20 }),
      trade({ price: 99, size: 1_000, tsEvent: T0 + 30, conditions: ['close'] }),
      trade({ price: 11, size: 1, tsEvent: T0 + 40 }),
      trade({ price: 70, size: 5, tsEvent: T0 + 1_010, conditions: ['avg'] }),
    ].flatMap((t) => builder.add(t, 0));
    bars.push(...builder.flush(0));
    assert.equal(bars.length, 1, 'the second with only a volume-only trade has no price, hence no bar');
    // … and its volume went into the bar before (bar-volume.test.ts).
    assert.deepEqual([bars[0]!.open, bars[0]!.high, bars[0]!.low, bars[0]!.close, bars[0]!.volume, bars[0]!.count], [10, 11, 10, 11, 107, 4]);
    assert.equal(bars[0]!.vwap, 10.5, 'VWAP over the price-setting trades');
    assert.deepEqual([builder.stats().excluded, builder.stats().unpricedPeriods], [1, 1]);
  });

  it('returns bars in a deterministic order and the same output for the same calls', () => {
    const run = (): Bar[][] => {
      const builder = new BarBuilder({ intervals: ['1m', '1s'], lateness: 500, clock: new ManualClock(42) });
      const calls: Bar[][] = [];
      let state = 7;
      for (let index = 0; index < 2_000; index++) {
        state = (state * 48_271) % 2_147_483_647;
        const symbol = ['B', 'A', 'C'][state % 3]!;
        calls.push(builder.add(at(index * 73 - (state % 400), 100 + (state % 17), state % 5, symbol)));
        if (index % 50 === 0) calls.push(builder.advanceTo(T0 + index * 73, T0 + index * 73 + 1));
      }
      calls.push(builder.flush());
      return calls;
    };
    const first = run();
    assert.deepEqual(run(), first);
    assert.ok(first.flat().length > 100);
    assert.ok(first.flat().some((bar) => bar.tsRecv === 42), 'bars closed by add and flush take the injected clock time');
    for (const bars of first) {
      const keys = bars.map((bar) => [bar.end, bar.interval === '1s' ? 0 : 1, bar.symbol] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
      assert.deepEqual(keys, sorted);
    }
  });

  it('matches a naive grouping when trades arrive in time order', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'] });
    const trades: Trade[] = [];
    for (let ms = 0; ms < 180_000; ms += 137) trades.push(at(ms, 100 + ((ms * 7) % 13), (ms % 3) + 1, ms % 2 ? 'X' : 'Y'));
    const bars: Bar[] = [];
    for (const t of trades) bars.push(...builder.add(t, 0));
    bars.push(...builder.flush(0));
    for (const [interval, duration] of [['1s', 1_000], ['1m', 60_000]] as const) {
      const groups = Map.groupBy(trades, (t) => `${t.symbol}@${Math.floor(t.tsEvent / duration) * duration}`);
      const ours = bars.filter((bar) => bar.interval === interval);
      assert.equal(ours.length, groups.size);
      for (const bar of ours) {
        const group = groups.get(`${bar.symbol}@${bar.start}`)!;
        assert.equal(bar.open, group[0]!.price);
        assert.equal(bar.close, group.at(-1)!.price);
        assert.equal(bar.high, Math.max(...group.map((t) => t.price)));
        assert.equal(bar.low, Math.min(...group.map((t) => t.price)));
        assert.equal(bar.volume, group.reduce((sum, t) => sum + t.size, 0));
        assert.equal(bar.count, group.length);
      }
    }
  });

  it('rejects unusable trades and invalid options', () => {
    const builder = new BarBuilder();
    assert.deepEqual(builder.intervals, ['1s', '1m']);
    assert.deepEqual(builder.add(trade({ price: -1, tsEvent: T0 }), 0), []);
    assert.deepEqual(builder.add(trade({ price: 1, tsEvent: Number.NaN }), 0), []);
    assert.equal(builder.stats().rejected, 2);
    assert.throws(() => new BarBuilder({ intervals: [] }), ConfigError);
    assert.throws(() => new BarBuilder({ intervals: ['5m' as never] }), ConfigError);
    assert.throws(() => new BarBuilder({ lateness: -1 }), ConfigError);
  });
});
