import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXED_ONE } from '../../../src/model/fixed-point.ts';
import { positionIntent, type PositionRule } from '../../../src/trading/trader/position-rule.ts';

const LONG_ONLY: PositionRule = { mode: 'long-only', onOpposite: 'flat' };
const FLATTEN: PositionRule = { mode: 'long-short', onOpposite: 'flat' };
const REVERSE: PositionRule = { mode: 'long-short', onOpposite: 'reverse' };
const shares = (n: number) => BigInt(n) * FIXED_ONE;

describe('positionIntent', () => {
  it('long-only: buys open from flat, a sell closes the long, a sell when flat does nothing', () => {
    assert.deepEqual(positionIntent(LONG_ONLY, 'buy', 0n, false), { action: 'enter', closing: 0n, held: 0n });
    assert.deepEqual(positionIntent(LONG_ONLY, 'sell', shares(7), false), { action: 'close', qty: shares(7) });
    assert.equal(positionIntent(LONG_ONLY, 'sell', 0n, false).action, 'none');
  });

  it('one position per symbol: a signal in the held direction adds nothing, unless the sizing tops up to a target', () => {
    assert.match((positionIntent(LONG_ONLY, 'buy', shares(3), false) as { reason: string }).reason, /already long/);
    assert.match((positionIntent(FLATTEN, 'sell', -shares(3), false) as { reason: string }).reason, /already short/);
    assert.deepEqual(positionIntent(LONG_ONLY, 'buy', shares(3), true), { action: 'enter', closing: 0n, held: shares(3) });
  });

  it('long-short: a sell opens a short from flat; the opposite signal goes flat or reverses as configured', () => {
    assert.deepEqual(positionIntent(FLATTEN, 'sell', 0n, false), { action: 'enter', closing: 0n, held: 0n });
    assert.deepEqual(positionIntent(FLATTEN, 'buy', -shares(4), false), { action: 'close', qty: shares(4) });
    assert.deepEqual(positionIntent(REVERSE, 'buy', -shares(4), false), { action: 'enter', closing: shares(4), held: 0n });
    assert.deepEqual(positionIntent(REVERSE, 'sell', shares(4), false), { action: 'enter', closing: shares(4), held: 0n });
  });

  it('long-only never reverses, even when configured to', () => {
    assert.deepEqual(positionIntent({ mode: 'long-only', onOpposite: 'reverse' }, 'sell', shares(2), false), { action: 'close', qty: shares(2) });
  });
});
