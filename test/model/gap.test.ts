import { describe, it } from 'node:test';
import { GAP_REASONS, validateGap, type Gap } from '../../src/model/gap.ts';
import { assertAccepts, assertReasons } from './cases.ts';

const gap: Gap = { type: 'gap', source: 'finnhub', symbol: 'AAPL', reason: 'disconnect', tsEvent: 1_000, tsRecv: 1_001 };

describe('validateGap', () => {
  it('accepts a gap for every reason', () => {
    assertAccepts(validateGap, GAP_REASONS.map((reason) => ({ ...gap, reason })));
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateGap, [
      ['gap', 'not an object'],
      [{ ...gap, type: 'trade' }, 'type must be "gap" (got "trade")'],
      [{ ...gap, symbol: null }, 'symbol missing'],
      [{ ...gap, source: '' }, 'source missing'],
      [{ ...gap, tsEvent: '1000' }, 'tsEvent/tsRecv must be numbers'],
      [{ ...gap, reason: 'late' }, 'reason must be one of disconnect, stale, shutdown (got "late")'],
    ]);
  });
});
