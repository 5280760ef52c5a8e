import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { divRound, fixedFromNumber, formatFixed, mulFixed, parseFixed } from '../../src/model/fixed-point.ts';

describe('fixed-point decimals', () => {
  it('parses and formats decimal strings exactly, up to 9 decimals', () => {
    assert.equal(parseFixed('187.31'), 187_310_000_000n);
    assert.equal(parseFixed('-0.000000001'), -1n);
    assert.equal(formatFixed(parseFixed('10.500')!), '10.5');
    assert.equal(formatFixed(-1n), '-0.000000001');
    for (const bad of ['1e3', '', '.5', '1.', '1.0000000001', ' 1', '+1', 'NaN']) assert.equal(parseFixed(bad), null, bad);
  });

  it('reads tape prices to the nearest billionth of their exact value', () => {
    assert.equal(fixedFromNumber(167.41), 167_410_000_000n);
    assert.equal(fixedFromNumber((1.38694 + 1.38705) / 2), 1_386_995_000n);
    assert.equal(fixedFromNumber(0.1 + 0.2), 300_000_000n);
  });

  it('rounds as asked: floor, ceil and half to even, for both signs', () => {
    assert.deepEqual([divRound(7n, 2n, 'floor'), divRound(7n, 2n, 'ceil'), divRound(7n, 2n, 'half-even'), divRound(5n, 2n, 'half-even')], [3n, 4n, 4n, 2n]);
    assert.deepEqual([divRound(-7n, 2n, 'floor'), divRound(-7n, 2n, 'ceil'), divRound(-7n, 2n, 'half-even'), divRound(-7n, -2n, 'floor')], [-4n, -3n, -4n, 3n]);
    assert.equal(mulFixed(parseFixed('0.123456789')!, parseFixed('43210.12')!), parseFixed('5334.582667505')!);
  });

  it('round-trips every value through its string', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), (value) => parseFixed(formatFixed(value)) === value));
  });
});
