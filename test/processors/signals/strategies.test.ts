import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bar } from '../../../src/model/bar.ts';
import { MaCrossover } from '../../../src/processors/signals/ma-crossover.ts';
import { RsiStrategy, type RsiStrategyOptions } from '../../../src/processors/signals/rsi-strategy.ts';
import type { Decision } from '../../../src/processors/signals/strategy.ts';
import { VolumeSpike } from '../../../src/processors/signals/volume-spike.ts';
import { VwapDeviation } from '../../../src/processors/signals/vwap-deviation.ts';
import { bar, inputOf, metrics } from './support.ts';

/** Feeds closes as consecutive 1s bars; returns [bar index, decision] for every bar that fired. */
function runBars(strategy: { onBar(bar: Bar, input: ReturnType<typeof inputOf>): Decision | null }, bars: readonly Bar[]): Array<[number, Decision]> {
  const fired: Array<[number, Decision]> = [];
  bars.forEach((b, i) => {
    const decision = strategy.onBar(b, inputOf(b, i));
    if (decision) fired.push([i, decision]);
  });
  return fired;
}

const closes = (values: readonly number[]) => values.map((close, n) => bar(n, close));
const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

describe('ma-crossover', () => {
  /*
   * EMA(2) (α = 2/3) and EMA(3) (α = 1/2), each seeded with the SMA of its first values:
   *   bar  close  EMA(2)     EMA(3)   side
   *   0    12     –          –
   *   1    12     12         –
   *   2     9     10         11       below (first side: no signal)
   *   3    12     11.3333    11.5     below
   *   4    15     13.7778    13.25    above → buy, gap 0.52778 / 13.25 = 3.983 %
   *   5    16     15.2593    14.625   above (no signal while it stays above)
   *   6    10     11.7531    12.3125  below → sell
   */
  const series = [12, 12, 9, 12, 15, 16, 10];

  it('fires buy on the bar fast crosses above slow and sell on the bar it crosses below, only then', () => {
    const strategy = new MaCrossover({ kind: 'ema', fast: 2, slow: 3, interval: '1s', strengthScalePct: 10 });
    const fired = runBars(strategy, closes(series));
    assert.deepEqual(fired.map(([i, d]) => [i, d.side, d.price]), [[4, 'buy', 15], [6, 'sell', 10]]);
    const [, buy] = fired[0]!;
    near(buy.strength, ((124 / 9 - 13.25) / 13.25) * 100 / 10, 'strength = gap % / scale');
    assert.equal(buy.reason, 'EMA(2) 13.7778 crossed above EMA(3) 13.25 at 15');
    assert.deepEqual(buy.lineage, [inputOf(bar(3, 12), 3), inputOf(bar(4, 15), 4)], 'the bar before and the crossing bar');
  });

  it('with SMA, clamps strength to 1, and treats touching and returning as no crossing', () => {
    const strategy = new MaCrossover({ kind: 'sma', fast: 1, slow: 2, interval: '1s', strengthScalePct: 0.01 });
    // SMA(1) − SMA(2): 10,10 → 0 (no side); 12 → +; 12 → 0 (touch); 13 → + again (no crossing); 8 → − (sell).
    const fired = runBars(strategy, closes([10, 10, 12, 12, 13, 8]));
    assert.deepEqual(fired.map(([i, d]) => [i, d.side, d.strength]), [[5, 'sell', 1]]);
  });

  it('ignores bars of other intervals', () => {
    const strategy = new MaCrossover({ kind: 'ema', fast: 2, slow: 3, interval: '1m', strengthScalePct: 10 });
    assert.deepEqual(runBars(strategy, closes(series)), []);
    assert.equal(runBars(strategy, series.map((close, n) => bar(n, close, { interval: '1m' }))).length, 2);
  });
});

describe('rsi strategy', () => {
  // RSI(2): 10, 11, 12 → 100; 11 → 50; 9 → 16.67; 8 → 10; 12 → 78.57; 13 → 84.48.
  const series = [10, 11, 12, 11, 9, 8, 12, 13];
  const options: RsiStrategyOptions = { period: 2, oversold: 30, overbought: 70, interval: '1s', trigger: 'exit' };

  it('exit trigger: sells when RSI falls back below overbought, buys when it climbs back above oversold, once each', () => {
    const fired = runBars(new RsiStrategy(options), closes(series));
    assert.deepEqual(fired.map(([i, d]) => [i, d.side]), [[3, 'sell'], [6, 'buy']]);
    near(fired[0]![1].strength, 1, 'the excursion reached RSI 100');
    near(fired[1]![1].strength, (30 - 10) / 30, 'the excursion reached RSI 10');
    assert.match(fired[1]![1].reason, /^RSI\(2\) 78\.5714 rose back above 30 \(low 10\) at 12$/);
  });

  it('enter trigger: buys on the bar RSI drops below oversold, sells on the bar it rises above overbought', () => {
    const fired = runBars(new RsiStrategy({ ...options, trigger: 'enter' }), closes(series));
    assert.deepEqual(fired.map(([i, d]) => [i, d.side]), [[4, 'buy'], [6, 'sell']]);
    near(fired[0]![1].strength, (30 - 100 / 6) / 30, 'RSI 16.67 at the crossing');
  });

  it('does not fire while RSI stays in a zone', () => {
    assert.deepEqual(runBars(new RsiStrategy(options), closes([1, 2, 3, 4, 5, 6, 7, 8, 9])), []);
    assert.deepEqual(runBars(new RsiStrategy({ ...options, trigger: 'enter' }), closes([9, 8, 7, 6, 5, 4, 3])), []);
  });
});

describe('volume-spike', () => {
  const spike = () => new VolumeSpike({ multiple: 2, lookback: 3, interval: '1s' });
  const withVolumes = (rows: ReadonlyArray<[volume: number, open: number, close: number]>) => rows.map(([volume, open, close], n) => bar(n, close, { volume, open }));

  it('fires on the first bar of a run at ≥ multiple × the previous lookback average, side from the bar direction', () => {
    const fired = runBars(
      spike(),
      withVolumes([
        [10, 1, 1],
        [10, 1, 1],
        [10, 1, 1],
        [30, 1, 2], // 3× the average 10: buy (closes up)
        [40, 2, 2], // 2.4× the average 16.7: still spiking, no second signal
        [10, 2, 2], // back to normal: re-armed
        [100, 3, 2], // 3.75× the average 26.7, closes down: sell
      ]),
    );
    assert.deepEqual(fired.map(([i, d]) => [i, d.side]), [[3, 'buy'], [6, 'sell']]);
    near(fired[0]![1].strength, 3 / 4, 'ratio 3 against 2 × multiple');
    assert.equal(fired[0]![1].reason, 'volume 30 is 3× the 3-bar average 10 on a 1s bar closing up at 2');
  });

  it('needs lookback bars first and never fires on a zero average (volume-less forex)', () => {
    assert.deepEqual(runBars(spike(), withVolumes([[1, 1, 1], [1, 1, 1], [50, 1, 1]])), [], 'only two bars before');
    assert.deepEqual(runBars(spike(), withVolumes([[0, 1, 1], [0, 1, 1], [0, 1, 1], [5, 1, 1]])), []);
  });
});

describe('vwap-deviation', () => {
  it('sells above, buys below, once per excursion, re-arming within the threshold', () => {
    const strategy = new VwapDeviation({ thresholdPct: 0.1 });
    const lasts = [100.2, 100.15, 100.05, 100.11, 99.8, 99.7, 100, 99.85];
    const fired = lasts.map((last, n) => strategy.onMetrics(metrics(n, last, 100))).map((d, n) => (d ? [n, d.side] : null)).filter(Boolean);
    // 100.2: +0.2 % sell; 100.15 same excursion; 100.05 within: re-armed; 100.11 sell; 99.8: the other
    // side is a new excursion: buy; 99.7 same; 100 within; 99.85 buy.
    assert.deepEqual(fired, [[0, 'sell'], [3, 'sell'], [4, 'buy'], [7, 'buy']]);
    const first = new VwapDeviation({ thresholdPct: 0.1 }).onMetrics(metrics(0, 100.15, 100));
    near(first!.strength, 0.75, '0.15 % against twice the threshold');
    assert.equal(first!.price, 100.15);
  });

  it('skips metrics without a VWAP and keeps its state across them', () => {
    const strategy = new VwapDeviation({ thresholdPct: 0.1 });
    assert.equal(strategy.onMetrics(metrics(0, 1.2, null)), null);
    assert.equal(strategy.onMetrics(metrics(1, 100.5, 100))?.side, 'sell');
    assert.equal(strategy.onMetrics(metrics(2, 1.2, null)), null);
    assert.equal(strategy.onMetrics(metrics(3, 100.5, 100)), null, 'still the same excursion');
  });
});
