import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bar } from '../../../src/model/bar.ts';
import type { Trade } from '../../../src/model/trade.ts';
import type { EligibilityRule } from '../../../src/model/trade-eligibility.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { trade } from '../trade-factory.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

/** Trades with condition `v` count as volume only. */
const volumeOnlyRule: EligibilityRule = (t) => (t.conditions?.[0] === 'v' ? 'volume' : 'full');
const priced = (ms: number, price: number, size = 1): Trade => trade({ price, size, tsEvent: T0 + ms });
const volumeOnly = (ms: number, size: number): Trade => trade({ price: 99, size, tsEvent: T0 + ms, conditions: ['v'] });
const summary = (bars: readonly Bar[]): string[] => bars.map((bar) => `${bar.interval} ${bar.start - T0} o${bar.open} c${bar.close} v${bar.volume} n${bar.count}`);

describe('BarBuilder: volume of periods without a price', () => {
  it('goes into the bar before, which waits until those periods are over', () => {
    const builder = new BarBuilder({ intervals: ['1s'], eligibility: volumeOnlyRule });
    assert.deepEqual(builder.add(priced(100, 10), 0), []);
    assert.deepEqual(builder.add(priced(900, 11), 0), []);
    assert.deepEqual(builder.add(volumeOnly(1_200, 5), 0), [], 'the 0 s bar has ended but waits: [1 s, 2 s) may still get a price');
    assert.deepEqual(builder.advanceTo(T0 + 1_500), []);
    assert.deepEqual(builder.add(volumeOnly(2_300, 7), 0), [], '[1 s, 2 s) ended without a price; [2 s, 3 s) has none yet');
    assert.deepEqual(summary(builder.add(priced(3_500, 12, 2), 0)), ['1s 0 o10 c11 v14 n4']);
    assert.deepEqual(summary(builder.flush(0)), ['1s 3000 o12 c12 v2 n1']);
    assert.equal(builder.stats().unpricedPeriods, 2);
  });

  it('publishes the waiting bar as soon as the period after it gets a price', () => {
    const builder = new BarBuilder({ intervals: ['1s'], lateness: 500, eligibility: volumeOnlyRule });
    builder.add(priced(500, 10), 0);
    builder.add(volumeOnly(1_200, 5), 0);
    assert.deepEqual(builder.advanceTo(T0 + 1_500), [], 'ended by the clock, but [1 s, 2 s) is still open');
    // Out of order within the lateness: the event time does not move, the clock's next call decides.
    assert.deepEqual(builder.add(priced(1_100, 12), 0), []);
    assert.deepEqual(summary(builder.advanceTo(T0 + 1_500)), ['1s 0 o10 c10 v1 n1']);
    assert.deepEqual(summary(builder.flush(0)), ['1s 1000 o12 c12 v6 n2'], 'the volume-only print is in its own period, which has a price');
  });

  it('goes into the next bar when the bar before was already published, or waits for one', () => {
    const builder = new BarBuilder({ intervals: ['1s'], eligibility: volumeOnlyRule });
    builder.add(priced(500, 10), 0);
    assert.deepEqual(summary(builder.advanceTo(T0 + 1_000)), ['1s 0 o10 c10 v1 n1'], 'the clock closed it before the next print came');
    builder.add(volumeOnly(1_200, 5), 0);
    assert.deepEqual(builder.advanceTo(T0 + 2_000), []);
    assert.deepEqual(builder.symbolState('AAA')!.carried, [{ interval: '1s', volume: 5, count: 1 }]);
    assert.deepEqual(builder.flush(0), [], 'no bar to carry it into yet');
    builder.add(priced(3_500, 12, 2), 0);
    assert.deepEqual(summary(builder.flush(0)), ['1s 3000 o12 c12 v7 n2']);
    assert.deepEqual(builder.symbolState('AAA')!.carried, []);
  });

  it('keeps the day whole: 1 s volumes sum to 1 m volumes, though a second may move into the minute before', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'], eligibility: volumeOnlyRule });
    const bars = [priced(59_500, 10, 1), volumeOnly(60_200, 5), priced(61_500, 11, 2)].flatMap((t) => builder.add(t, 0));
    bars.push(...builder.flush(0));
    assert.deepEqual(summary(bars), ['1s 59000 o10 c10 v6 n2', '1m 0 o10 c10 v1 n1', '1s 61000 o11 c11 v2 n1', '1m 60000 o11 c11 v7 n2']);
    const total = (interval: string): number => bars.filter((bar) => bar.interval === interval).reduce((sum, bar) => sum + bar.volume, 0);
    assert.equal(total('1s'), 8);
    assert.equal(total('1m'), 8);
  });

  it('continues a waiting bar and carried volume exactly after a restore', () => {
    const steps: Array<Trade | number> = [priced(500, 10), volumeOnly(1_200, 5), volumeOnly(2_100, 3), priced(3_100, 11), T0 + 60_500, volumeOnly(61_000, 4), T0 + 62_300, priced(63_000, 9)];
    const options = { intervals: ['1s', '1m'] as const, lateness: 300, eligibility: volumeOnlyRule };
    const run = (restartAfter: number | null): { bars: string[]; carried: string[] } => {
      let builder = new BarBuilder(options);
      const out: Bar[] = [];
      const carried: string[] = [];
      steps.forEach((step, index) => {
        out.push(...(typeof step === 'number' ? builder.advanceTo(step, 0) : builder.add(step, 0)));
        carried.push(JSON.stringify(builder.symbolState('AAA')!.carried));
        if (index !== restartAfter) return;
        const saved = JSON.parse(JSON.stringify(builder.symbolState('AAA')));
        const watermark = builder.watermark;
        builder = new BarBuilder(options);
        builder.restoreWatermark(watermark);
        builder.restoreSymbol('AAA', saved);
      });
      out.push(...builder.flush(0));
      return { bars: summary(out), carried };
    };
    const uninterrupted = run(null);
    assert.ok(uninterrupted.bars.includes('1s 0 o10 c10 v9 n3'), 'waited for [1 s, 2 s) and [2 s, 3 s)');
    assert.ok(uninterrupted.bars.includes('1s 63000 o9 c9 v5 n2'), 'carried into the next bar');
    assert.ok(uninterrupted.carried.includes('[{"interval":"1s","volume":4,"count":1}]'));
    for (let cut = 0; cut < steps.length; cut++) assert.deepEqual(run(cut), uninterrupted, `restored after step ${cut}`);
  });
});
