import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// A plain browser module (web/js/, no types): imported by URL, so it is exactly what the page runs.
const { HISTORY_REPAIR_ATTEMPTS, historyRepairDelay, mayMissStoredBars } = await import(new URL('../../web/js/history-repair.js', import.meta.url).href);

const T0 = 1_796_155_860_000;

describe('history repair (stored bars the stream will not send again)', () => {
  it('sees a hole when storage has not reached the stream’s oldest candle', () => {
    assert.equal(mayMissStoredBars(T0, T0 + 5_000, 1_000), true, 'four 1 s candles between');
    assert.equal(mayMissStoredBars(null, T0, 1_000), true, 'nothing stored yet');
  });

  it('sees none when the stored bars reach the stream’s, or before the stream gave anything', () => {
    assert.equal(mayMissStoredBars(T0, T0 + 1_000, 1_000), false, 'adjacent');
    assert.equal(mayMissStoredBars(T0 + 3_000, T0 + 1_000, 1_000), false, 'overlapping');
    assert.equal(mayMissStoredBars(T0, T0 + 60_000, 60_000), false, 'adjacent minutes');
    assert.equal(mayMissStoredBars(T0, null, 1_000), false, 'no live candle yet');
    assert.equal(mayMissStoredBars(null, null, 1_000), false);
  });

  it('asks again after 1, 2, 4, 8 s, capped at 15 s, for about a minute in all', () => {
    const delays = Array.from({ length: HISTORY_REPAIR_ATTEMPTS }, (_, attempt) => historyRepairDelay(attempt));
    assert.deepEqual(delays.slice(0, 5), [1_000, 2_000, 4_000, 8_000, 15_000]);
    const total = delays.reduce((sum, delay) => sum + delay, 0);
    assert.ok(total >= 45_000 && total <= 90_000, `${total} ms in all`);
  });
});
