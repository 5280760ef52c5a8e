import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../src/model/account.ts';
import { validateAccountRequest } from '../../src/model/account-request.ts';

const problem = (body: unknown): string => {
  const result = validateAccountRequest(body);
  assert.equal(typeof result, 'string', `expected a problem for ${JSON.stringify(body)}, got ${JSON.stringify(result)}`);
  return result as string;
};

describe('validateAccountRequest', () => {
  it('leaves out what the request leaves out (the engine defaults apply)', () => {
    assert.deepEqual(validateAccountRequest({}), {});
    assert.deepEqual(validateAccountRequest(undefined), {});
  });

  it('takes cash as a decimal string or a number, with at most 2 decimals', () => {
    assert.deepEqual(validateAccountRequest({ cash: 100000 }), { startingCash: '100000' });
    assert.deepEqual(validateAccountRequest({ cash: '2500.50' }), { startingCash: '2500.50' });
    assert.deepEqual(validateAccountRequest({ cash: 0.25 }), { startingCash: '0.25' });
    for (const cash of [0, -5, '0', '1.005', 'abc', '1e5', 1e13, null, true, '', ' 100']) assert.match(problem({ cash }), /^cash must be a number > 0/);
  });

  it('takes the account type, and a margin multiplier only for margin accounts', () => {
    assert.deepEqual(validateAccountRequest({ type: 'cash' }), { accountType: 'cash' });
    assert.deepEqual(validateAccountRequest({ type: 'margin', multiplier: 4 }), { accountType: 'margin', multiplier: 4 });
    assert.deepEqual(validateAccountRequest({ multiplier: 3 }), { multiplier: 3 });
    assert.match(problem({ type: 'broker' }), /^type must be "cash" or "margin" \(got "broker"\)/);
    assert.match(problem({ type: 'cash', multiplier: 2 }), /^multiplier applies to margin accounts only/);
    for (const multiplier of [0, 5, 1.5, '2']) assert.match(problem({ type: 'margin', multiplier }), /^multiplier must be an integer from 1 to 4/);
  });

  it('takes a fee model by name or with its parameters', () => {
    assert.deepEqual(validateAccountRequest({ fees: 'zero' }), { fees: { model: 'zero' } });
    assert.deepEqual(validateAccountRequest({ fees: 'per-share' }), { fees: PER_SHARE_FEES });
    assert.deepEqual(validateAccountRequest({ fees: { model: 'per-share', per_share: 0.01, minimum: '2' } }), { fees: { ...PER_SHARE_FEES, perShare: '0.01', minimum: '2' } });
    assert.deepEqual(validateAccountRequest({ fees: { model: 'percent', maker_bps: 10, taker_bps: '25' } }), { fees: { model: 'percent', makerBps: '10', takerBps: '25' } });
    assert.deepEqual(validateAccountRequest({ regulatory_fees: true }), { regulatoryFees: US_REGULATORY_FEES_2024 });
  });

  it('names the fee field that is wrong', () => {
    assert.match(problem({ fees: 'flat' }), /^fees must be "zero", "per-share", or an object/);
    assert.match(problem({ fees: { model: 'flat' } }), /^fees.model must be one of zero, per-share, percent/);
    assert.match(problem({ fees: { model: 'percent', maker_bps: 10 } }), /^fees.taker_bps is required/);
    assert.match(problem({ fees: { model: 'percent', maker_bps: -1, taker_bps: 1 } }), /^fees.maker_bps must be ≥ 0/);
    assert.match(problem({ fees: { model: 'per-share', maximum_percent: 0 } }), /^fees.maximum_percent must be > 0/);
    assert.match(problem({ fees: { model: 'per-share', perShare: 1 } }), /^fees.perShare is not a known field/);
    assert.match(problem({ regulatory_fees: 'yes' }), /^regulatory_fees must be true/);
  });

  it('takes the fill model settings the engine supports, within its bounds', () => {
    assert.deepEqual(validateAccountRequest({ fills: { latency_ms: 200, participation: 0.1, queue_ahead_min_qty: 100 } }), {
      fills: { latencyMs: 200, participation: 0.1, queueAheadMinQty: '100' },
    });
    assert.match(problem({ fills: { participation: 0 } }), /^fills.participation must be a number > 0/);
    assert.match(problem({ fills: { latency_ms: 1.5 } }), /^fills.latency_ms must be an integer from 0 to 60000/);
    assert.match(problem({ fills: { slippage: 5 } }), /^fills.slippage is not a known field \(known: latency_ms/);
    assert.match(problem({ fills: [] }), /^fills must be an object/);
    assert.deepEqual(validateAccountRequest({ settlement_sessions: 2 }), { settlementSessions: 2 });
    assert.match(problem({ settlement_sessions: 9 }), /^settlement_sessions must be an integer from 0 to 3/);
  });

  it('refuses what is not an object, and fields it does not know', () => {
    assert.equal(problem([1]), 'the body must be a JSON object');
    assert.equal(problem('cash'), 'the body must be a JSON object');
    assert.match(problem({ cash: 1, startingCash: 5 }), /^"startingCash" is not a known field/);
  });
});
