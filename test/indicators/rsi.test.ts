import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rsi, RsiState } from '../../src/indicators/rsi.ts';

/**
 * Tulip Indicators' published test vector for `rsi 5`, from TulipCharts/tulipindicators
 * `tests/untest.txt` (commit 28c63a715996ebb1b2c73a95d59cbad2dd408cfb), printed there to 3 decimals.
 * Tulip's `rsi` uses Wilder's smoothing seeded with the simple mean of the first `period` changes,
 * the convention `RsiState` follows, so the first output belongs to input number period + 1.
 */
const TULIP_INPUT = [81.59, 81.06, 82.87, 83.0, 83.61, 83.15, 82.84, 83.99, 84.55, 84.36, 85.53, 86.54, 86.89, 87.77, 87.29];
const TULIP_RSI_5 = [72.034, 64.927, 75.936, 79.796, 74.713, 83.033, 87.478, 88.755, 91.483, 78.498];

/** Wilder's RSI straight from the definition, over arrays (a second implementation to compare with). */
function referenceRsi(values: readonly number[], period: number): number[] {
  const changes = values.slice(1).map((value, i) => value - values[i]!);
  if (changes.length < period) return [];
  const gains = changes.map((change) => Math.max(change, 0));
  const losses = changes.map((change) => Math.max(-change, 0));
  let avgGain = gains.slice(0, period).reduce((a, b) => a + b, 0) / period;
  let avgLoss = losses.slice(0, period).reduce((a, b) => a + b, 0) / period;
  const out = [avgGain + avgLoss === 0 ? 50 : 100 - 100 / (1 + avgGain / avgLoss)];
  for (let i = period; i < changes.length; i++) {
    avgGain = (avgGain * (period - 1) + gains[i]!) / period;
    avgLoss = (avgLoss * (period - 1) + losses[i]!) / period;
    out.push(avgGain + avgLoss === 0 ? 50 : avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss));
  }
  return out;
}

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) <= tolerance, `${what}[${i}]: ${value} vs ${expected[i]}`));
}

const prices = (minLength: number) => fc.array(fc.integer({ min: 1, max: 1_000_000 }).map((cents) => cents / 100), { minLength, maxLength: 120 });
const period = fc.integer({ min: 1, max: 30 });

describe('RSI (Wilder)', () => {
  it('matches Tulip Indicators’ rsi 5 test vector', () => {
    assertClose(rsi(TULIP_INPUT, 5), TULIP_RSI_5, 0.0005 + 1e-9, 'rsi 5');
  });

  it('first value by hand: mean gain 0.51, mean loss 0.198 over the first five changes', () => {
    // Changes −0.53, +1.81, +0.13, +0.61, −0.46: gains 2.55 / 5, losses 0.99 / 5.
    const [first] = rsi(TULIP_INPUT.slice(0, 6), 5);
    assert.ok(Math.abs(first! - (100 * 0.51) / (0.51 + 0.198)) < 1e-9, String(first));
  });

  it('outputs nothing until period + 1 values, then one value per value', () => {
    const state = new RsiState(3);
    assert.deepEqual([1, 2, 3].map((v) => state.push(v)), [null, null, null]);
    assert.equal(state.push(4), 100);
    assert.equal(rsi([1, 2, 3], 3).length, 0);
    assert.equal(rsi([5, 5, 5, 5, 5], 2).length, 3);
  });

  it('is 50 on a flat series and refuses a bad period', () => {
    assert.deepEqual(rsi([5, 5, 5, 5], 2), [50, 50]);
    assert.throws(() => new RsiState(0), RangeError);
    assert.throws(() => new RsiState(2.5), RangeError);
  });

  describe('properties', () => {
    it('always lies in [0, 100]', () => {
      fc.assert(fc.property(prices(2), period, (values, p) => rsi(values, p).every((value) => value >= 0 && value <= 100)));
    });

    it('is 100 on a strictly rising series and 0 on a strictly falling one', () => {
      const rising = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 2, maxLength: 80 }).map((steps) => steps.reduce<number[]>((out, step) => [...out, (out.at(-1) ?? 100) + step / 100], []));
      fc.assert(
        fc.property(rising, period, (values, p) => {
          assert.ok(rsi(values, p).every((value) => value === 100));
          assert.ok(rsi([...values].reverse(), p).every((value) => value === 0));
        }),
      );
    });

    it('does not change when a constant is added to every price, or every price is scaled', () => {
      fc.assert(
        fc.property(prices(2), period, fc.integer({ min: -50_000, max: 100_000 }).map((c) => c / 100), fc.double({ min: 0.01, max: 1_000, noNaN: true }), (values, p, shift, scale) => {
          const base = rsi(values, p);
          const shifted = values.map((v) => v + shift + 600);
          const baseShifted = rsi(values.map((v) => v + 600), p);
          assertClose(rsi(shifted, p), baseShifted, 1e-6, 'shifted');
          assertClose(rsi(values.map((v) => v * scale), p), base, 1e-6, 'scaled');
        }),
      );
    });

    it('incremental state equals the batch definition, and a clone continues identically', () => {
      fc.assert(
        fc.property(prices(0), period, fc.nat(), (values, p, cut) => {
          assertClose(rsi(values, p), referenceRsi(values, p), 1e-9, 'incremental vs batch');
          const split = values.length === 0 ? 0 : cut % (values.length + 1);
          const state = new RsiState(p);
          for (const value of values.slice(0, split)) state.push(value);
          const copy = state.clone();
          for (const value of values.slice(split)) assert.equal(copy.push(value), state.push(value));
        }),
      );
    });
  });
});
