import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trade } from '../../../src/model/trade.ts';
import { OPENING_AUCTION, type EligibilityRule } from '../../../src/model/trade-eligibility.ts';
import { decodeAggregatorState, encodeSymbolState } from '../../../src/processors/aggregator/aggregator-state.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { trade } from '../trade-factory.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
const rule: EligibilityRule = (t) => (t.conditions?.[0] === 'v' ? 'volume' : t.conditions?.[0] === 'open' ? OPENING_AUCTION : 'full');
const at = (ms: number, price: number, condition?: string): Trade => trade({ price, size: 10, tsEvent: T0 + ms, conditions: condition ? [condition] : null });

describe('aggregator state: bars', () => {
  it('saves what an open bar owes to auctions and volume-only prints, and what waits for a next bar', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'], eligibility: rule });
    for (const t of [at(100, 9), at(500, 12, 'open'), at(1_200, 99, 'v')]) builder.add(t, 0);
    builder.advanceTo(T0 + 1_000);
    const original = { symbol: 'AAA', window: null, bars: builder.symbolState('AAA'), quoteBars: null };
    const saved = JSON.parse(JSON.stringify(encodeSymbolState(original)));
    const decoded = decodeAggregatorState('AAA', saved);
    assert.equal(decoded.kind, 'symbol');
    assert.deepStrictEqual(decoded.state, original);
    const minute = original.bars!.open.find((bar) => bar.interval === '1m')!;
    assert.deepEqual([minute.open, minute.auctionOpen, minute.auctionClose], [12, true, false]);

    const later = new BarBuilder({ intervals: ['1s'], eligibility: rule });
    later.add(at(500, 10), 0);
    later.advanceTo(T0 + 1_000);
    later.add(at(1_200, 99, 'v'), 0);
    later.advanceTo(T0 + 2_000);
    const carried = { symbol: 'AAA', window: null, bars: later.symbolState('AAA'), quoteBars: null };
    assert.deepEqual(carried.bars!.carried, [{ interval: '1s', volume: 10, count: 1 }]);
    assert.deepStrictEqual(decodeAggregatorState('AAA', JSON.parse(JSON.stringify(encodeSymbolState(carried)))).state, carried);
  });

  it('reads a state saved before auctions and carried volume: none of either', () => {
    const bar = { interval: '1s', start: T0, end: T0 + 1_000, open: 1, high: 1, low: 1, close: 1, priced: true, volume: 5, count: 1, notional: 5, pricedVolume: 5 };
    const decoded = decodeAggregatorState('AAA', { v: 1, kind: 'symbol', symbol: 'AAA', window: null, bars: { maxEvent: T0, open: [bar] } });
    assert.deepStrictEqual(decoded.state, { symbol: 'AAA', window: null, bars: { maxEvent: T0, open: [{ ...bar, auctionOpen: false, auctionClose: false }], carried: [] }, quoteBars: null });
  });
});
