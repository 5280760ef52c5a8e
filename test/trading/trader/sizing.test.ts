import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import { entrySize, type EntrySize, type SizingInput } from '../../../src/trading/trader/sizing.ts';

const fixed = (text: string) => parseFixed(text)!;
const input = (fields: Partial<SizingInput> = {}): SizingInput => ({ price: fixed('150'), equity: fixed('100000'), held: 0n, fractionable: false, notionalAllowed: false, ...fields });
const shown = (size: EntrySize | null) => (size === null ? null : 'qty' in size ? { qty: formatFixed(size.qty) } : { notional: formatFixed(size.notional) });

describe('entrySize', () => {
  it('fixed-qty: the quantity, down to whole shares unless fractionable; a fraction of a share of a whole-share asset is nothing', () => {
    assert.deepEqual(shown(entrySize({ rule: 'fixed-qty', qty: 10 }, input())), { qty: '10' });
    assert.deepEqual(shown(entrySize({ rule: 'fixed-qty', qty: 2.75 }, input())), { qty: '2' });
    assert.deepEqual(shown(entrySize({ rule: 'fixed-qty', qty: 2.75 }, input({ fractionable: true }))), { qty: '2.75' });
    assert.equal(entrySize({ rule: 'fixed-qty', qty: 0.5 }, input()), null);
  });

  it('fixed-notional: a notional order to the cent where allowed, else the whole shares it buys', () => {
    assert.deepEqual(shown(entrySize({ rule: 'fixed-notional', notional: 1000.567 }, input({ fractionable: true, notionalAllowed: true }))), { notional: '1000.56' });
    assert.deepEqual(shown(entrySize({ rule: 'fixed-notional', notional: 1000 }, input())), { qty: '6' });
    assert.deepEqual(shown(entrySize({ rule: 'fixed-notional', notional: 1000 }, input({ fractionable: true }))), { qty: '6.666666666' });
    assert.equal(entrySize({ rule: 'fixed-notional', notional: 100 }, input()), null);
  });

  it('percent-of-equity: that share of equity, as notional or whole shares; nothing with no equity', () => {
    assert.deepEqual(shown(entrySize({ rule: 'percent-of-equity', percent: 5 }, input())), { qty: '33' });
    assert.deepEqual(shown(entrySize({ rule: 'percent-of-equity', percent: 5 }, input({ notionalAllowed: true, fractionable: true }))), { notional: '5000' });
    assert.equal(entrySize({ rule: 'percent-of-equity', percent: 5 }, input({ equity: -1n })), null);
  });

  it('target-percent: what is missing to the target, counting what is held; nothing at or above it', () => {
    assert.deepEqual(shown(entrySize({ rule: 'target-percent', percent: 10 }, input())), { qty: '66' });
    assert.deepEqual(shown(entrySize({ rule: 'target-percent', percent: 10 }, input({ held: fixed('60') }))), { qty: '6' });
    assert.equal(entrySize({ rule: 'target-percent', percent: 10 }, input({ held: fixed('66') })), null);
    assert.equal(entrySize({ rule: 'target-percent', percent: 10 }, input({ held: fixed('80') })), null);
    // Never notional: a target is a quantity.
    assert.deepEqual(shown(entrySize({ rule: 'target-percent', percent: 10 }, input({ fractionable: true, notionalAllowed: true, price: fixed('30000') }))), { qty: '0.333333333' });
  });
});
