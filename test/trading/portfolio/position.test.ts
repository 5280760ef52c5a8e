import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mulFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import { Portfolio } from '../../../src/trading/portfolio/portfolio.ts';
import { applyFill, type Position } from '../../../src/trading/portfolio/position.ts';
import { value } from '../../../src/trading/portfolio/valuation.ts';

const $ = (text: string) => parseFixed(text)!;
const fill = (position: Position | null, qty: string, price: string) => applyFill(position, $(qty), mulFixed($(qty.replace('-', '')), $(price)), $(price));

describe('positions', () => {
  it('averages the entry price on adds and realizes P&L in proportion on reductions', () => {
    let change = fill(null, '100', '10');
    change = fill(change.position, '100', '12');
    assert.deepEqual([change.position!.qty, change.position!.costBasis], [$('200'), $('2200')]);
    change = fill(change.position, '-50', '13');
    assert.deepEqual([change.position!.qty, change.position!.costBasis, change.realized], [$('150'), $('1650'), $('100')]);
  });

  it('flips through zero: closes the long, opens a short with the rest', () => {
    const long = fill(null, '10', '100').position;
    const flipped = fill(long, '-30', '90');
    assert.deepEqual([flipped.position!.qty, flipped.position!.costBasis, flipped.realized], [$('-20'), $('-1800'), $('-100')]);
    const covered = fill(flipped.position, '20', '80');
    assert.deepEqual([covered.position, covered.realized], [null, $('200')]);
  });

  it('keeps cash + market value = starting cash + realized + unrealized − fees, exactly', () => {
    const trade = fc.record({
      symbol: fc.constantFrom('A', 'B'),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qty: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      price: fc.bigInt({ min: 10n ** 6n, max: 10n ** 12n }),
      fee: fc.bigInt({ min: 0n, max: 10n ** 9n }),
    });
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 40 }), fc.bigInt({ min: 10n ** 6n, max: 10n ** 12n }), (trades, mark) => {
        const start = $('100000');
        const portfolio = new Portfolio(start);
        for (const t of trades) portfolio.apply({ ...t, settlesAt: 0, at: 0 });
        const valuation = value(portfolio, () => mark);
        let costBasis = 0n;
        for (const [, position] of portfolio.positions()) costBasis += position.costBasis;
        assert.equal(valuation.equity, portfolio.cash + valuation.longMarketValue + valuation.shortMarketValue);
        assert.equal(valuation.equity, start + portfolio.realizedPl + valuation.unrealizedPl - portfolio.feesPaid);
        assert.equal(portfolio.cash, start + portfolio.realizedPl - portfolio.feesPaid - costBasis);
      }),
    );
  });
});
