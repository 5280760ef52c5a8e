import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fullJitterDelay } from '../../../src/sources/websocket/backoff.ts';

describe('fullJitterDelay', () => {
  it('stays within [0, min(max, base · 2^failures))', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, base, extra, u) => {
        const max = base + extra;
        const delay = fullJitterDelay(failures, base, max, () => u);
        assert.ok(delay >= 0 && delay < Math.min(max, base * 2 ** failures) + 1e-9 && Number.isInteger(delay));
      }),
    );
  });

  it('doubles its ceiling per failure up to the maximum', () => {
    const ceiling = (failures: number) => fullJitterDelay(failures, 1_000, 30_000, () => 0.999_999);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map(ceiling), [999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999, 29_999]);
  });
});
