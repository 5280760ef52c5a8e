import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEAD_LETTER_MAX_RAW, deadLetter, validateDeadLetter } from '../../src/model/dead-letter.ts';
import { assertAccepts, assertReasons } from './cases.ts';

const letter = deadLetter('finnhub', 'not JSON', '{"type":', 5);

describe('validateDeadLetter', () => {
  it('accepts what deadLetter makes, the raw input cut to its bound', () => {
    const long = deadLetter('aggregator', 'raw[0]@1: price must be a positive number', { raw: 'x'.repeat(DEAD_LETTER_MAX_RAW) }, 6);
    assert.equal(long.raw.length, DEAD_LETTER_MAX_RAW);
    assertAccepts(validateDeadLetter, [letter, long, { ...letter, reason: '', raw: '' }]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateDeadLetter, [
      [null, 'not an object'],
      [{ ...letter, type: 'gap' }, 'type must be "dead-letter" (got "gap")'],
      [{ ...letter, origin: '' }, 'origin missing'],
      [{ ...letter, reason: 3 }, 'reason must be a string'],
      [{ ...letter, raw: { type: 'trade' } }, 'raw must be a string'],
      [{ ...letter, raw: 'x'.repeat(DEAD_LETTER_MAX_RAW + 1) }, `raw must be at most ${DEAD_LETTER_MAX_RAW} characters`],
      [{ ...letter, tsRecv: null }, 'tsRecv must be a number'],
    ]);
  });
});
