import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ema, EmaState, sma, SmaState } from '../../src/indicators/moving-average.ts';

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((value, i) => assert.ok(Math.abs(value - (expected[i] as number)) <= tolerance, `${what}[${i}]: ${value} vs ${expected[i]}`));
}

/** Relative tolerance for sums of up to a few hundred doubles. */
const near = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale));

describe('moving averages: published references', () => {
  it("SMA matches Tulip Indicators' sma test vector (period 5)", () => {
    // tulipy tests/test.py (TulipCharts/tulipy), the vector Tulip Indicators' own tests use.
    const close = [81.59, 81.06, 82.87, 83, 83.61, 83.15, 82.84, 83.99, 84.55, 84.36, 85.53, 86.54, 86.89, 87.77, 87.29];
    const expected = [82.426, 82.738, 83.094, 83.318, 83.628, 83.778, 84.254, 84.994, 85.574, 86.218, 86.804];
    assertClose(sma(close, 5), expected, 1e-9, 'sma');
  });

  it("SMA and SMA-seeded EMA match StockCharts' 10-day example (Intel closes)", () => {
    // StockCharts ChartSchool, "Moving Averages - Simple and Exponential", spreadsheet cs-movavg.xls.
    // The sheet shows closes rounded to cents but computes from more decimals, so the published
    // averages agree to 0.01. A Tulip-style EMA (seeded with the first close) misses the first
    // four EMA values by 0.013–0.030, so this tells the two seeding conventions apart.
    const close = [22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36, 24.05, 23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1, 22.4, 22.17];
    const sma10 = [22.22, 22.21, 22.23, 22.26, 22.31, 22.42, 22.61, 22.77, 22.91, 23.08, 23.21, 23.38, 23.53, 23.65, 23.71, 23.69, 23.61, 23.51, 23.43, 23.28, 23.13];
    const ema10 = [22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47, 23.4, 23.39, 23.26, 23.23, 23.08, 22.92];
    assertClose(sma(close, 10), sma10, 0.01, 'sma10');
    assertClose(ema(close, 10), ema10, 0.01, 'ema10');
  });

  it('hand-computed cases: seed, alpha = 2 / (window + 1), window 1, too few values', () => {
    // window 2: alpha = 2/3; seed (1 + 2) / 2 = 1.5; 1.5 + 2/3·(3 − 1.5) = 2.5; then 3.5, 4.5.
    assertClose(ema([1, 2, 3, 4, 5], 2), [1.5, 2.5, 3.5, 4.5], 1e-12, 'ema2');
    assertClose(sma([1, 2, 3, 4, 5], 2), [1.5, 2.5, 3.5, 4.5], 1e-12, 'sma2');
    // window 3: alpha = 0.5; seed (2 + 4 + 6) / 3 = 4; 4 + 0.5·(10 − 4) = 7; 7 + 0.5·(1 − 7) = 4.
    assertClose(ema([2, 4, 6, 10, 1], 3), [4, 7, 4], 1e-12, 'ema3');
    assertClose(sma([2, 4, 6, 10, 1], 3), [4, 20 / 3, 17 / 3], 1e-12, 'sma3');
    assert.deepEqual(ema([3, 1, 4], 1), [3, 1, 4]);
    assert.deepEqual(sma([3, 1, 4], 1), [3, 1, 4]);
    assert.deepEqual(sma([1, 2], 3), []);
    assert.deepEqual(ema([], 3), []);
  });

  it('refuses a window that is not an integer ≥ 1', () => {
    for (const window of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => sma([1], window), RangeError);
      assert.throws(() => new EmaState(window), RangeError);
    }
  });

  it('incremental state: null until the window fills, clones are independent', () => {
    const state = new SmaState(3);
    assert.equal(state.push(1), null);
    assert.equal(state.push(2), null);
    assert.equal(state.push(3), 2);
    const copy = state.clone();
    assert.equal(copy.push(10), 5);
    assert.equal(state.push(4), 3, 'the original did not see 10');
    const e = new EmaState(2);
    assert.equal(e.push(1), null);
    const f = e.clone();
    assert.equal(e.push(3), 2);
    assert.equal(f.push(5), 3);
  });
});

describe('moving averages: properties', () => {
  const price = fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const windowSize = fc.integer({ min: 1, max: 50 });

  it('the SMA of a constant is the constant; so is the EMA', () => {
    fc.assert(
      fc.property(price, windowSize, fc.integer({ min: 0, max: 300 }), (c, window, extra) => {
        const values = Array.from({ length: window + extra }, () => c);
        for (const average of [...sma(values, window), ...ema(values, window)]) assert.ok(near(average, c, c), `${average} vs ${c}`);
      }),
    );
  });

  it('each SMA lies within [min, max] of its window and equals the plain mean (also after many ring wraps)', () => {
    fc.assert(
      fc.property(windowSize, fc.array(price, { minLength: 1, maxLength: 400 }), (window, values) => {
        sma(values, window).forEach((average, i) => {
          const slice = values.slice(i, i + window);
          const mean = slice.reduce((a, b) => a + b, 0) / window;
          // The running sum may still carry rounding from values of the previous lap of the ring.
          const scale = Math.max(...values.slice(Math.max(0, i - window), i + window));
          assert.ok(average >= Math.min(...slice) - 1e-9 * scale && average <= Math.max(...slice) + 1e-9 * scale);
          assert.ok(near(average, mean, scale), `${average} vs ${mean}`);
        });
      }),
    );
  });

  it('each EMA lies within [min, max] of the values so far, and the first is the SMA seed', () => {
    fc.assert(
      fc.property(windowSize, fc.array(price, { minLength: 1, maxLength: 200 }), (window, values) => {
        const out = ema(values, window);
        if (out.length > 0) assert.equal(out[0], sma(values, window)[0]);
        out.forEach((average, i) => {
          const seen = values.slice(0, i + window);
          const scale = Math.max(...seen);
          assert.ok(average >= Math.min(...seen) - 1e-9 * scale && average <= scale + 1e-9 * scale);
        });
      }),
    );
  });
});
