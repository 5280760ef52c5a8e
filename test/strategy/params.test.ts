import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseParamPairs, resolveParams, type ParamSchema } from '../../src/strategy/params.ts';

const SCHEMA: ParamSchema = {
  fast: { type: 'integer', default: 10, min: 1, max: 100 },
  ratio: { type: 'number', default: 0.5, min: 0, max: 1 },
  short: { type: 'boolean', default: false },
  kind: { type: 'enum', values: ['sma', 'ema'], default: 'sma' },
  label: { type: 'string', default: 'x' },
};

describe('strategy parameters', () => {
  it('fills in defaults and parses what is given', () => {
    assert.deepEqual(resolveParams(SCHEMA, {}), { fast: 10, ratio: 0.5, short: false, kind: 'sma', label: 'x' });
    assert.deepEqual(resolveParams(SCHEMA, { fast: '20', ratio: '0.25', short: 'true', kind: 'ema', label: 'y' }), { fast: 20, ratio: 0.25, short: true, kind: 'ema', label: 'y' });
  });

  it('names the parameter and what it takes when a value is refused', () => {
    assert.equal(resolveParams(SCHEMA, { fast: '1.5' }), 'parameter fast: must be an integer, got "1.5"');
    assert.equal(resolveParams(SCHEMA, { fast: '0' }), 'parameter fast: must be ≥ 1, got 0');
    assert.equal(resolveParams(SCHEMA, { fast: '' }), 'parameter fast: must be an integer, got ""');
    assert.equal(resolveParams(SCHEMA, { ratio: 'abc' }), 'parameter ratio: must be a number, got "abc"');
    assert.equal(resolveParams(SCHEMA, { short: 'yes' }), 'parameter short: must be true or false, got "yes"');
    assert.equal(resolveParams(SCHEMA, { kind: 'wma' }), 'parameter kind: must be one of sma, ema, got "wma"');
    assert.equal(resolveParams(SCHEMA, { slow: '5' }), 'unknown parameter slow; the strategy takes fast, ratio, short, kind, label');
    assert.equal(resolveParams(undefined, { slow: '5' }), 'unknown parameter slow; the strategy takes none');
  });

  it('reads name=value pairs', () => {
    assert.deepEqual(parseParamPairs(['fast=5', 'label=a=b']), { fast: '5', label: 'a=b' });
    assert.equal(parseParamPairs(['fast']), '--param "fast" must be name=value');
  });
});
