import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountConfig, PER_SHARE_FEES, validateAccountConfig } from '../../src/model/account.ts';
import { validateFill } from '../../src/model/fill.ts';
import { validateTradeUpdate } from '../../src/model/trade-update.ts';
import { account, newEngine, nyTime, orderRequest, print } from '../trading/support.ts';

function aFill() {
  const engine = newEngine();
  engine.createAccount(account(), nyTime('10:00'));
  engine.trade(print('AAPL', 100, 1_000, nyTime('10:00')));
  engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy' }), nyTime('10:00'));
  engine.trade(print('AAPL', 100, 1_000, nyTime('10:01')));
  return engine.takeEvents().find((event) => event.event === 'fill')!;
}

describe('paper-trading records from the bus', () => {
  it('accepts what the engine emits, through JSON', () => {
    const update = JSON.parse(JSON.stringify(aFill()));
    assert.deepEqual(validateTradeUpdate(update), update);
    assert.deepEqual(validateFill(update.fill), update.fill);
  });

  it('names what is wrong', () => {
    const update = JSON.parse(JSON.stringify(aFill()));
    assert.equal(validateTradeUpdate({ ...update, seq: 0 }), 'seq must be an integer ≥ 1');
    assert.equal(validateTradeUpdate({ ...update, event: 'new' }), 'fill must be null for new');
    assert.equal(validateTradeUpdate({ ...update, order: { ...update.order, status: 'done' } }), 'order: status must be one of Alpaca\'s order statuses (got "done")');
    assert.equal(validateTradeUpdate({ ...update, fill: { ...update.fill, qty: '0' } }), 'fill: qty must be > 0 (got 0)');
    assert.equal(validateFill({ ...update.fill, lineage: [] }), 'lineage must be a non-empty array');
    assert.equal(validateFill({ ...update.fill, lineage: [{ ref: 'x', price: -1, size: 1, tsEvent: 0 }] }), 'lineage[0]: price must be a positive number');
  });

  it('checks account configurations', () => {
    const config = accountConfig({ id: 'a', startingCash: '1000', fees: PER_SHARE_FEES });
    assert.equal(validateAccountConfig(config), config);
    assert.equal(accountConfig({ id: 'c', startingCash: '1', accountType: 'cash' }).multiplier, 1);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: 'a b' }, /id must be/],
      [{ accountType: 'cash' }, /multiplier must be 1 for a cash account/],
      [{ startingCash: '-1' }, /startingCash must be ≥ 0/],
      [{ fees: { model: 'flat' } }, /fees.model must be one of/],
      [{ fees: { ...PER_SHARE_FEES, minimum: 'x' } }, /fees.minimum must be a decimal/],
      [{ fills: { ...config.fills, participation: 0 } }, /fills.participation must be a number > 0/],
      [{ fills: { ...config.fills, latencyMs: 1.5 } }, /fills.latencyMs must be an integer/],
      [{ regulatoryFees: { secFeePerMillion: '27.8' } }, /regulatoryFees.tafPerShare/],
    ];
    for (const [change, message] of cases) assert.match(validateAccountConfig({ ...config, ...change }) as string, message, JSON.stringify(change));
  });
});
