import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../../src/model/account.ts';
import { mulFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import { commission, type CommissionBasis } from '../../../src/trading/fees/commission.ts';
import { regulatoryFee } from '../../../src/trading/fees/regulatory.ts';

const $ = (text: string) => parseFixed(text)!;
const basis = (qty: string, price: string, before: Partial<CommissionBasis> = {}): CommissionBasis => ({
  qtyBefore: 0n, valueBefore: 0n, paidBefore: 0n, qty: $(qty), value: mulFixed($(qty), $(price)), liquidity: 'taker', ...before,
});

describe('fees', () => {
  it('charges nothing under the zero model', () => {
    assert.equal(commission({ model: 'zero' }, basis('1000', '100')), 0n);
  });

  it('charges per share, at least the minimum per order, at most 1 % of the value', () => {
    assert.equal(commission(PER_SHARE_FEES, basis('1000', '100')), $('5'));
    assert.equal(commission(PER_SHARE_FEES, basis('10', '100')), $('1'));
    assert.equal(commission(PER_SHARE_FEES, basis('10', '2')), $('0.2'));
    // The minimum is per order: a second partial fill pays only what the order's total adds.
    const first = commission(PER_SHARE_FEES, basis('100', '50'));
    const second = commission(PER_SHARE_FEES, basis('300', '50', { qtyBefore: $('100'), valueBefore: $('5000'), paidBefore: first }));
    assert.deepEqual([first, second, first + second], [$('1'), $('1'), $('2')]);
  });

  it('charges maker and taker basis points on crypto', () => {
    const model = { model: 'percent', makerBps: '10', takerBps: '25' } as const;
    assert.equal(commission(model, basis('0.5', '40000')), $('50'));
    assert.equal(commission(model, { ...basis('0.5', '40000'), liquidity: 'maker' }), $('20'));
  });

  it('adds SEC and FINRA fees on sales of US equities only, rounded up to the cent', () => {
    // $100,000 sold: SEC 27.80 × 0.1 = $2.78; TAF 1,000 × 0.000166 = $0.166 → $0.17.
    assert.equal(regulatoryFee(US_REGULATORY_FEES_2024, 'sell', 'us_equity', $('1000'), $('100000')), $('2.95'));
    // TAF caps at $8.30 a trade.
    assert.equal(regulatoryFee(US_REGULATORY_FEES_2024, 'sell', 'us_equity', $('100000'), $('100000')), $('2.78') + $('8.3'));
    assert.equal(regulatoryFee(US_REGULATORY_FEES_2024, 'buy', 'us_equity', $('1000'), $('100000')), 0n);
    assert.equal(regulatoryFee(US_REGULATORY_FEES_2024, 'sell', 'crypto', $('1'), $('100000')), 0n);
    assert.equal(regulatoryFee(null, 'sell', 'us_equity', $('1000'), $('100000')), 0n);
  });
});
