import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../../src/model/account.ts';
import { account, newEngine, nyTime, orderRequest, print } from '../support.ts';

const T = nyTime('10:00');

describe('accounts', () => {
  it('settles a cash account’s sale proceeds at the next session’s open (T+1)', () => {
    const engine = newEngine();
    engine.createAccount(account({ id: 'cash', accountType: 'cash', multiplier: 1, startingCash: '10000' }), T);
    engine.trade(print('AAPL', 100, 10_000, T));
    // 90 shares: a market order holds the last price + 5 % (9,450).
    assert.ok(engine.submit('cash', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '90' }), T).ok);
    engine.trade(print('AAPL', 100, 10_000, T + 100));
    assert.ok(engine.submit('cash', orderRequest({ symbol: 'AAPL', side: 'sell', qty: '90' }), T + 200).ok);
    engine.trade(print('AAPL', 100, 10_000, T + 300));
    assert.deepEqual([engine.account('cash')!.cash, engine.account('cash')!.settled_cash, engine.account('cash')!.buying_power], ['10000', '1000', '1000']);
    const again = engine.submit('cash', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '10' }), T + 400);
    assert.equal(again.ok ? 'accepted' : again.code, 'insufficient_buying_power');
    engine.advance(nyTime('09:30', '2013-10-08'));
    assert.equal(engine.account('cash')!.buying_power, '10000');
  });

  it('margin: buying power is multiplier × equity less what positions and open orders use', () => {
    const engine = newEngine();
    engine.createAccount(account({ startingCash: '100000' }), T);
    engine.trade(print('AAPL', 100, 100_000, T));
    engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'sell', qty: '500' }), T);
    engine.trade(print('AAPL', 100, 100_000, T + 100));
    engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '100', order_type: 'limit', limit_price: '90' }), T + 200);
    const summary = engine.account('acct')!;
    // 200,000 − |−50,000| short − 100 × 90 reserved for the buy that would not cover (it only covers: nothing reserved).
    assert.deepEqual([summary.short_market_value, summary.equity, summary.reserved, summary.buying_power], ['-50000', '100000', '0', '150000']);
    engine.trade(print('AAPL', 110, 100, T + 300));
    assert.deepEqual([engine.account('acct')!.equity, engine.account('acct')!.buying_power, engine.positions('acct')![0]!.unrealized_pl], ['95000', '135000', '-5000']);
  });

  it('charges fees per order and regulatory fees on sales', () => {
    const engine = newEngine();
    engine.createAccount(account({ fees: PER_SHARE_FEES, regulatoryFees: US_REGULATORY_FEES_2024 }), T);
    engine.trade(print('AAPL', 100, 100_000, T));
    engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '1000' }), T);
    engine.trade(print('AAPL', 100, 100_000, T + 100));
    engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'sell', qty: '1000' }), T + 200);
    engine.trade(print('AAPL', 100, 2_000, T + 300));
    engine.trade(print('AAPL', 100, 100_000, T + 400));
    const fees = engine.takeEvents().filter((e) => e.fill).map((e) => e.fill!.fee);
    // Buy: $5 (1,000 × 0.005). Sell in two fills: 500 shares ($2.50, SEC $1.39, TAF $0.09), 500 ($2.50, SEC $1.39, TAF $0.09).
    assert.deepEqual(fees, ['5', '3.98', '3.98']);
    assert.deepEqual([engine.account('acct')!.fees, engine.account('acct')!.realized_pl, engine.account('acct')!.equity], ['12.96', '0', '99987.04']);
  });

  it('resets to the starting cash, canceling open orders, ids still unique', () => {
    const engine = newEngine();
    engine.createAccount(account(), T);
    engine.trade(print('AAPL', 100, 1_000, T));
    const first = engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '10', order_type: 'limit', limit_price: '90' }), T);
    engine.takeEvents();
    assert.ok(engine.resetAccount('acct', T + 10).ok);
    assert.deepEqual(engine.takeEvents().map((e) => e.event), ['canceled']);
    const second = engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '10', order_type: 'limit', limit_price: '90' }), T + 20);
    assert.ok(first.ok && second.ok && first.value.id !== second.value.id);
    assert.equal(engine.account('acct')!.cash, '100000');
  });

  it('restores from JSON snapshots to the same state, and refuses a snapshot that does not decode', () => {
    const engine = newEngine();
    engine.createAccount(account(), T);
    engine.trade(print('AAPL', 100, 1_000, T));
    engine.submit('acct', orderRequest({ symbol: 'AAPL', side: 'sell', qty: '10', order_type: 'trailing_stop', trail_percent: '1' }), T);
    engine.trade(print('AAPL', 101, 1_000, T + 100));
    const saved = JSON.parse(JSON.stringify({ account: engine.snapshotAccount('acct'), market: engine.snapshotMarket() }));
    const restored = newEngine();
    restored.restoreAccount(saved.account);
    restored.restoreMarket(saved.market);
    assert.deepEqual(restored.snapshotAccount('acct'), engine.snapshotAccount('acct'));
    assert.deepEqual(restored.openOrders('acct'), engine.openOrders('acct'));
    assert.equal(restored.openOrders('acct')![0]!.stop_price, '99.99');
    assert.throws(() => restored.restoreAccount({ ...saved.account, portfolio: { ...saved.account.portfolio, cash: '1e3' } }), /not a decimal/);
  });
});
