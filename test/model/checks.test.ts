import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finite, integer, nonNegative, nullOrPositive, oneOf, positive, recordOf, string, text, times, validateOneOf, within } from '../../src/model/checks.ts';

describe('the record checks', () => {
  it('take an object of the expected type only', () => {
    const record = { type: 'bar' };
    assert.equal(recordOf(record, 'bar'), record);
    for (const value of [null, undefined, 3, 'bar', [record]]) assert.equal(recordOf(value, 'bar'), 'not an object');
    assert.equal(recordOf({ type: 'trade' }, 'bar'), 'type must be "bar" (got "trade")');
    assert.equal(recordOf({}, 'bar'), 'type must be "bar" (got undefined)');
  });

  it('name the field that breaks its rule, and pass what keeps it', () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      [text('symbol', 'A'), undefined],
      [text('symbol', ''), 'symbol missing'],
      [text('symbol', 1), 'symbol missing'],
      [string('reason', ''), undefined],
      [string('reason', null), 'reason must be a string'],
      [finite('seq', -1.5), undefined],
      [finite('seq', Number.POSITIVE_INFINITY), 'seq must be a number'],
      [finite('seq', '1'), 'seq must be a number'],
      [positive('price', 0.0001), undefined],
      [positive('price', 0), 'price must be a positive number'],
      [positive('price', Number.NaN), 'price must be a positive number'],
      [nonNegative('size', 0), undefined],
      [nonNegative('size', -0.1), 'size must be a number ≥ 0'],
      [nullOrPositive('vwap', null), undefined],
      [nullOrPositive('vwap', 2), undefined],
      [nullOrPositive('vwap', undefined), 'vwap must be null or a positive number'],
      [nullOrPositive('vwap', 0), 'vwap must be null or a positive number'],
      [integer('count', 0, 0), undefined],
      [integer('count', -1, 0), 'count must be an integer ≥ 0'],
      [integer('count', 1.5, 0), 'count must be an integer ≥ 0'],
      [integer('count', 2 ** 53, 0), 'count must be an integer ≥ 0'],
      [oneOf('reason', 'stale', ['stale', 'disconnect']), undefined],
      [oneOf('reason', 'late', ['stale', 'disconnect']), 'reason must be one of stale, disconnect (got "late")'],
      [times({ tsEvent: 1, tsRecv: 2.5 }), undefined],
      [times({ tsEvent: 1 }), 'tsEvent/tsRecv must be numbers'],
      [times({ tsEvent: '1', tsRecv: 2 }), 'tsEvent/tsRecv must be numbers'],
      [within('vwap', 1, 1, 2, '[low, high]'), undefined],
      [within('vwap', 2, 1, 2, '[low, high]'), undefined],
      [within('vwap', 2.5, 1, 2, '[low, high]'), 'vwap must lie within [low, high]'],
    ];
    for (const [index, [problem, expected]] of cases.entries()) assert.equal(problem, expected, `case ${index}`);
  });

  it('dispatch a union on its type tag', () => {
    const validators = { a: (value: unknown) => value, b: () => 'b is never valid' };
    const a = { type: 'a' };
    assert.equal(validateOneOf(a, validators), a);
    assert.equal(validateOneOf({ type: 'b' }, validators), 'b is never valid');
    assert.equal(validateOneOf({ type: 'c' }, validators), 'unknown record type "c" (expected a or b)');
    assert.equal(validateOneOf({ type: 'toString' }, validators), 'unknown record type "toString" (expected a or b)');
    assert.equal(validateOneOf(null, validators), 'not an object');
  });
});
