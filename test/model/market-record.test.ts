import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Gap } from '../../src/model/gap.ts';
import { validateMarketRecord } from '../../src/model/market-record.ts';
import { validateGap } from '../../src/model/gap.ts';
import { validateTrade, type Trade } from '../../src/model/trade.ts';
import { assertAccepts, assertReasons } from './cases.ts';

const trade: Trade = { type: 'trade', source: 'test', symbol: 'AAPL', price: 1, size: 1, conditions: null, tsEvent: 1, tsRecv: 1, seq: 1 };
const gap: Gap = { type: 'gap', source: 'test', symbol: 'AAPL', reason: 'stale', tsEvent: 1, tsRecv: 1 };

describe('validateMarketRecord', () => {
  it('accepts trades and gaps', () => {
    assertAccepts(validateMarketRecord, [trade, gap]);
  });

  it('checks each by the rules of its type', () => {
    const badTrade = { ...trade, price: -1 };
    const badGap = { ...gap, reason: 'late' };
    assert.equal(validateMarketRecord(badTrade), validateTrade(badTrade));
    assert.equal(validateMarketRecord(badGap), validateGap(badGap));
  });

  it('refuses anything else', () => {
    assertReasons(validateMarketRecord, [
      [undefined, 'not an object'],
      [{ ...trade, type: 'bar' }, 'unknown record type "bar" (expected trade or quote or gap)'],
      [{ symbol: 'AAPL' }, 'unknown record type undefined (expected trade or quote or gap)'],
    ]);
  });
});
