import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedFromNumber, parseFixed } from '../../../src/model/fixed-point.ts';
import type { OrderSide } from '../../../src/model/order.ts';
import { matchPrint, type MatchTerms } from '../../../src/trading/fills/match-print.ts';
import { freshMatchState, type MatchState } from '../../../src/trading/fills/match-state.ts';
import { printCapacity } from '../../../src/trading/fills/participation.ts';
import { holdToRange } from '../../../src/trading/fills/price-range.ts';
import { fromInput } from '../../../src/trading/fills/print.ts';
import { estimateQueueAhead, sizeBeyondQueue } from '../../../src/trading/fills/queue-ahead.ts';
import { slip } from '../../../src/trading/fills/slippage.ts';

const $ = (text: string) => parseFixed(text)!;
const at = (price: number, size = 100, eligibility: 'full' | 'volume' = 'full') => fromInput('X', { ref: `p${price}`, price, size, tsEvent: 0 }, eligibility);
const terms = (fields: Partial<MatchTerms> & { side: OrderSide }): MatchTerms => ({ orderType: 'market', limit: null, stop: null, trailPrice: null, trailPercent: null, ...fields });
const NO_SLIP = 0n;

function run(order: MatchTerms, prices: readonly number[], state: MatchState = freshMatchState(), slippage = NO_SLIP) {
  return prices.map((price) => matchPrint(order, state, at(price), slippage));
}

describe('the fill model', () => {
  it('fills a limit order only on prints through the limit, at the limit, while the tape stays at or away', () => {
    const buy = terms({ side: 'buy', orderType: 'limit', limit: $('100') });
    // Queue ahead never served: prints at the limit do not fill.
    const state = { ...freshMatchState(), queueAhead: $('1000000') };
    const decisions = run(buy, [100.5, 100, 100.01, 100], state);
    assert.deepEqual(decisions.map((d) => d.kind), ['none', 'none', 'none', 'none']);
    const through = matchPrint(buy, state, at(99.99), NO_SLIP);
    assert.deepEqual(through, { kind: 'fill', price: $('100'), maxQty: null, liquidity: 'taker' });
  });

  it('fills at the limit only from what prints at it beyond the queue ahead', () => {
    const sell = terms({ side: 'sell', orderType: 'limit', limit: $('50') });
    const state = { ...freshMatchState(), queueAhead: $('250'), maker: true };
    const sizes = [100, 100, 100, 100].map((size) => matchPrint(sell, state, at(50, size), NO_SLIP));
    assert.deepEqual(sizes.map((d) => (d.kind === 'fill' ? d.maxQty : null)), [null, null, $('50'), $('100')]);
    assert.equal(sizes[2]!.kind === 'fill' && sizes[2]!.liquidity, 'maker');
    // Volume-only prints serve the queue but fill nothing.
    const other = { ...freshMatchState(), queueAhead: $('100') };
    assert.equal(matchPrint(sell, other, at(50, 100, 'volume'), NO_SLIP).kind, 'none');
    assert.deepEqual(matchPrint(sell, other, at(50, 30), NO_SLIP), { kind: 'fill', price: $('50'), maxQty: $('30'), liquidity: 'taker' });
  });

  it('never fills a limit at a price nobody traded since activation', () => {
    // Gap down through a buy limit at 100: the first print after activation is 98; the fill is 98, not 100.
    const buy = terms({ side: 'buy', orderType: 'limit', limit: $('100') });
    assert.deepEqual(run(buy, [98]), [{ kind: 'fill', price: $('98'), maxQty: null, liquidity: 'taker' }]);
    const later = run(buy, [101, 98]);
    assert.deepEqual(later[1], { kind: 'fill', price: $('100'), maxQty: null, liquidity: 'taker' });
  });

  it('slips market fills against the trader, held within the prices printed since activation', () => {
    assert.equal(slip('buy', $('100'), $('5')), $('100.05'));
    assert.equal(slip('sell', $('100'), $('5')), $('99.95'));
    const buy = terms({ side: 'buy' });
    const decisions = run(buy, [100, 100.02, 99.9], freshMatchState(), $('5'));
    assert.deepEqual(decisions.map((d) => d.kind === 'fill' && d.price), [$('100'), $('100.02'), $('99.94995')]);
    assert.equal(holdToRange('sell', $('90'), { low: $('95'), high: $('99') }), $('95'));
  });

  it('triggers stops on a print at or through the stop, filling only on later prints', () => {
    const stopSell = terms({ side: 'sell', orderType: 'stop', stop: $('95') });
    assert.deepEqual(run(stopSell, [96, 95, 94]).map((d) => d.kind), ['none', 'triggered', 'fill']);
    const stopBuy = terms({ side: 'buy', orderType: 'stop', stop: $('105') });
    assert.deepEqual(run(stopBuy, [104.99, 105.01, 105]).map((d) => d.kind), ['none', 'triggered', 'fill']);
  });

  it('turns a triggered stop limit into a limit order', () => {
    const order = terms({ side: 'buy', orderType: 'stop_limit', stop: $('105'), limit: $('105.5') });
    const state = { ...freshMatchState(), queueAhead: $('1000000') };
    assert.deepEqual(run(order, [105, 106, 105.5, 105.4], state).map((d) => d.kind), ['triggered', 'none', 'none', 'fill']);
  });

  it('trails a sell stop below the high-water mark, by price or by percent', () => {
    const byPrice = terms({ side: 'sell', orderType: 'trailing_stop', trailPrice: $('2') });
    const state = freshMatchState();
    assert.deepEqual(run(byPrice, [100, 103, 101.5, 101], state).map((d) => d.kind), ['none', 'none', 'none', 'triggered']);
    assert.equal(state.hwm, $('103'));
    const byPercent = terms({ side: 'buy', orderType: 'trailing_stop', trailPercent: $('1') });
    const short = freshMatchState();
    assert.deepEqual(run(byPercent, [100, 98, 98.97, 98.98], short).map((d) => d.kind), ['none', 'none', 'none', 'triggered']);
    assert.equal(short.hwm, $('98'));
  });

  it('takes at most the participation share of a print, nothing of a print too small for a whole share', () => {
    assert.equal(printCapacity($('1000'), fixedFromNumber(0.25), true), $('250'));
    assert.equal(printCapacity($('3'), fixedFromNumber(0.25), true), 0n);
    assert.equal(printCapacity($('0.3'), fixedFromNumber(0.25), false), $('0.075'));
    assert.equal(printCapacity(0n, fixedFromNumber(0.25), true), null);
  });

  it('estimates the queue ahead from the volume printed at the price, at least a minimum', () => {
    assert.equal(estimateQueueAhead($('1200'), fixedFromNumber(1), 0n), $('1200'));
    assert.equal(estimateQueueAhead($('1200'), fixedFromNumber(0.5), $('1000')), $('1000'));
    assert.equal(sizeBeyondQueue($('100'), $('60'), $('50')), $('10'));
    assert.equal(sizeBeyondQueue($('100'), $('160'), $('50')), $('50'));
    assert.equal(sizeBeyondQueue(0n, 0n, 0n), 0n);
  });
});
