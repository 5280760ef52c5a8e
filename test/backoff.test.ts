import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fullJitterDelay, RESTART_BACKOFF_DEFAULTS, RestartBackoff } from '../src/backoff.ts';
import { within } from './support/wait.ts';

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

describe('RestartBackoff', () => {
  it('grows with the failures in a row and starts over after a success', () => {
    const backoff = new RestartBackoff({ baseMs: 200, maxMs: 30_000, random: () => 0.999_999 });
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      backoff.failed();
      delays.push(backoff.nextDelayMs());
    }
    assert.deepEqual(delays, [199, 399, 799, 1_599, 3_199, 6_399, 12_799, 25_599, 29_999, 29_999]);
    backoff.succeeded();
    backoff.failed();
    assert.equal(backoff.nextDelayMs(), 199);
  });

  it('after many failures each followed by a recovery, waits as little as after the first', () => {
    const backoff = new RestartBackoff({ random: () => 0.999_999 });
    for (let i = 0; i < 50; i++) {
      backoff.failed();
      backoff.succeeded();
    }
    backoff.failed();
    assert.equal(backoff.consecutiveFailures, 1);
    assert.ok(backoff.nextDelayMs() < RESTART_BACKOFF_DEFAULTS.baseMs);
  });

  it('draws the delay at random below its ceiling (full jitter)', () => {
    const draws = [0, 0.25, 0.5];
    const backoff = new RestartBackoff({ baseMs: 1_000, random: () => draws.shift()! });
    backoff.failed();
    backoff.failed();
    assert.deepEqual([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()], [0, 500, 1_000]);
  });

  it('ends its wait as soon as the signal aborts', async () => {
    const backoff = new RestartBackoff({ baseMs: 60_000, maxMs: 120_000, random: () => 0.5 });
    backoff.failed();
    const stop = new AbortController();
    const started = performance.now();
    const waited = backoff.wait(stop.signal);
    stop.abort();
    assert.equal(await within(waited, 1_000, 'the aborted wait'), 30_000);
    assert.ok(performance.now() - started < 1_000);
    // Already aborted: no wait at all.
    assert.equal(await within(backoff.wait(stop.signal), 1_000, 'a wait on an aborted signal'), 30_000);
  });
});
